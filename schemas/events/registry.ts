import type { z } from 'zod';
import { AppError } from '../errors.ts';
import { ConversationSessionOpened } from './conversation-session-opened.ts';
import { type DomainEvent, EventMetadata } from './envelope.ts';
import { FeedbackGiven } from './feedback-given.ts';
import { InsightDerived } from './insight-derived.ts';
import { KnowledgeDocumentPublished, KnowledgeDocumentRetracted } from './knowledge.ts';
import { ManagerReviewGiven } from './manager-review-given.ts';
import { MessageReceived } from './message-received.ts';
import { RubricPublished } from './rubric-published.ts';
import { SessionEnded } from './session-ended.ts';
import { SessionStarted } from './session-started.ts';
// Skill targets and the weekly digest (issue 16, targets).
import { SkillTargetCleared, SkillTargetSet } from './skill-targets.ts';
import { TeamRubricChosen } from './team-rubric-chosen.ts';
import { DigestPreferenceChanged, WeeklyDigestSent } from './weekly-digest.ts';

export const eventDefinitions = {
  SessionStarted,
  MessageReceived,
  InsightDerived,
  SessionEnded,
  KnowledgeDocumentPublished,
  KnowledgeDocumentRetracted,
  FeedbackGiven,
  ConversationSessionOpened,
  // Manager in the loop (issue 16)
  ManagerReviewGiven,
  // Skill targets and the weekly digest (issue 16, targets).
  SkillTargetSet,
  SkillTargetCleared,
  DigestPreferenceChanged,
  WeeklyDigestSent,
  // Rubrics (issue 16)
  RubricPublished,
  TeamRubricChosen,
} as const;

type Definitions = typeof eventDefinitions;
export type EventType = keyof Definitions;
export const eventTypes = Object.keys(eventDefinitions) as EventType[];

export type EventOf<T extends EventType> = DomainEvent<T, z.infer<Definitions[T]['schema']>>;
export type SalesEvent = { [T in EventType]: EventOf<T> }[EventType];
export type EventData<T extends EventType> = z.infer<Definitions[T]['schema']>;

export const isEventType = (type: string): type is EventType => Object.hasOwn(eventDefinitions, type);

/**
 * Reads stored data of any version as the current version: validates it against the schema
 * of the version it was written with, then applies upcasters one version at a time.
 */
export const upcast = <T extends EventType>(type: T, version: number, data: unknown): EventData<T> => {
  const definition = eventDefinitions[type];
  if (version > definition.version) {
    throw new AppError(
      'VALIDATION',
      `${type} v${version} is newer than this build knows (v${definition.version})`,
    );
  }
  let current: unknown = data;
  for (let v = version; v < definition.version; v++) {
    const previous = (
      definition.previous as Record<number, { schema: z.ZodType; upcast: (d: never) => unknown }>
    )[v];
    if (!previous) throw new AppError('VALIDATION', `${type} v${v} has no upcaster`);
    current = previous.upcast(previous.schema.parse(current) as never);
  }
  return definition.schema.parse(current) as EventData<T>;
};

/**
 * A stored record (any version) as a current domain event. Validated, unless `trusted`: events
 * of the current version that this system validated when it wrote them are then taken as they
 * are (projections replaying millions of events), while older versions are still validated
 * and upcast.
 */
export const toDomainEvent = (
  record: { type: string; version: number; data: unknown; metadata: unknown },
  options: { trusted?: boolean } = {},
): SalesEvent => {
  if (!isEventType(record.type)) throw new AppError('VALIDATION', `unknown event type ${record.type}`);
  const definition = eventDefinitions[record.type];
  if (options.trusted && record.version === definition.version) {
    return {
      type: record.type,
      version: record.version,
      data: record.data,
      metadata: record.metadata,
    } as SalesEvent;
  }
  return {
    type: record.type,
    version: definition.version,
    data: upcast(record.type, record.version, record.data),
    metadata: EventMetadata.parse(record.metadata),
  } as SalesEvent;
};

/** A new event of the current version; validates its data. */
export const makeEvent = <T extends EventType>(
  type: T,
  data: EventData<T>,
  metadata: EventMetadata,
): EventOf<T> => {
  const definition = eventDefinitions[type];
  return {
    type,
    version: definition.version,
    data: definition.schema.parse(data) as EventData<T>,
    metadata,
  } as EventOf<T>;
};
