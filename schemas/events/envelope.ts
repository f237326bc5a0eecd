import { z } from 'zod';

/**
 * Every event carries `type`, `version`, `data` and `metadata`. Ids and clocks come from the
 * command's metadata, never from inside a decider.
 */
export const Actor = z.object({
  kind: z.enum(['user', 'assistant', 'system', 'ops']),
  id: z.string().min(1),
});
export type Actor = z.infer<typeof Actor>;

export const EventMetadata = z.object({
  /** Deterministic: the same command input gives the same id, which makes appends idempotent. */
  eventId: z.uuid(),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  occurredAt: z.iso.datetime({ offset: true }),
  actor: Actor,
  /** The Slack Events API `event_id` (or interaction id) that caused this event, when there was one. */
  slackEventId: z.string().optional(),
  /**
   * The person whose personal data the event's free-text fields are. Encryption at rest uses
   * this person's key; forgetting them makes exactly those fields unreadable.
   */
  subjectId: z.string().optional(),
});
export type EventMetadata = z.infer<typeof EventMetadata>;

/** A versioned event definition: its schema per version, the upcasters between, its personal fields. */
export type EventDefinition<Type extends string, Current extends z.ZodType> = {
  type: Type;
  version: number;
  schema: Current;
  /** Older versions' schemas by version number; each must have an upcaster to version + 1. */
  previous: Record<number, { schema: z.ZodType; upcast: (data: never) => unknown }>;
  /** Top-level fields of `data` holding free text written by or about a person (strings or string arrays). */
  personalFields: readonly string[];
  /** Whose personal data this is. */
  subjectOf: (data: z.infer<Current>) => string | undefined;
};

export const defineEvent = <Type extends string, Current extends z.ZodType>(
  definition: EventDefinition<Type, Current>,
): EventDefinition<Type, Current> => definition;

export type DomainEvent<Type extends string = string, Data = unknown> = {
  type: Type;
  version: number;
  data: Data;
  metadata: EventMetadata;
};
