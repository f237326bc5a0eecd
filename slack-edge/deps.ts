import type pg from 'pg';
import type { DisplayNames } from '../projections/growth/team.ts';
import type { DigestSchedule } from '../schemas/digest-schedule.ts';
import type { Logger } from '../schemas/logger.ts';
import type { TeamDirectory } from '../write/authorization/team-directory.ts';
import type { EventCodec } from '../write/event-store/codec.ts';
import type { EventStore } from '../write/event-store/port.ts';
import type { KnowledgeAccess } from './knowledge-access.ts';
import type { LanguageOf } from './locale.ts';
import type { PersonalTextOpener } from './queries/dashboard.ts';
import type { ReviewNotifier } from './reviews/notify.ts';
import type { SlackAuthState } from './web/auth-state.ts';
import type { SlackClient } from './web/client.ts';

/** Targets, growth ranking and the weekly digest (GROWTH_WINDOW_SESSIONS, DIGEST_TIMEZONE, DIGEST_SCHEDULE). */
export type CoachingPlanSettings = { window: number; timeZone: string; schedule: DigestSchedule };

/** Everything the listeners use. */
export type SlackEdgeDeps = {
  store: EventStore;
  codec: EventCodec;
  /** SESSION_INACTIVITY_MINUTES in milliseconds (the decider's DM session rule). */
  inactivityMs: number;
  /** The read models (knowledge, growth, sessions). */
  pool: pg.Pool;
  /** Opens the personal text the read models hold sealed (null: stored in plain text). */
  personal: PersonalTextOpener | null;
  client: SlackClient;
  auth: SlackAuthState;
  languageOf: LanguageOf;
  /** Guests and external users are refused the knowledge base (ALLOW_GUEST_KNOWLEDGE). */
  knowledgeAccess: KnowledgeAccess;
  /** Who may see whose history, and who reviews whom (TEAMS, MANAGER_USER_IDS, Slack user groups). */
  teams: TeamDirectory;
  /** Tells a rep in a DM that their session was reviewed. */
  notifyReview: ReviewNotifier;
  /** Publishes a rep's Home tab (also used by the refresher after new insights). */
  publishHome: (userId: string) => Promise<void>;
  logger: Logger;
  clock: () => Date;
  /** How long a command may take before its answer goes through response_url instead. */
  inlineAnswerMs: number;
  /** Slack display names for team views (cached users.info). */
  displayNames: DisplayNames;
  /** Targets, growth window and the digest's time zone. */
  coachingPlan: CoachingPlanSettings;
};
