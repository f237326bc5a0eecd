import { z } from 'zod';
import { LocalizedText, RubricId, RubricRef, RubricSkill } from '../rubrics.ts';
import { SlackUserId } from '../slack-ids.ts';

const isoInstant = z.iso.datetime({ offset: true });
/** `2026-01-05` or a full ISO instant. */
const dateOrInstant = z.union([z.iso.date(), isoInstant], {
  error: 'expected an ISO date (2026-01-05) or instant',
});

export const UserParams = z.object({ userId: SlackUserId });
export const SessionParams = z.object({ sessionId: z.uuid({ error: 'expected a session id (UUID)' }) });

export const Pagination = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number({ error: 'expected a number' }).int().min(1).max(100).default(20),
});

/**
 * Which rubric version a growth view reads (one at a time). Without `rubric`, the rep's team's
 * current rubric at the newest version the rep has scores on; `rubricVersion` needs `rubric`.
 */
export const RubricSelection = z.object({
  rubric: RubricId.optional().describe(
    "rubric id (core, meddicc, spin, bant, or a published one); default: the rep's team's current rubric",
  ),
  rubricVersion: z.coerce
    .number({ error: 'expected a number' })
    .int()
    .positive()
    .optional()
    .describe('version of `rubric`; default: the newest version the rep has scores on, else its newest'),
});

const rubricVersionNeedsRubric = {
  message: 'rubricVersion needs rubric',
  path: ['rubricVersion'],
};

export const HistoryQuery = z
  .object({
    from: dateOrInstant.optional(),
    to: dateOrInstant.optional(),
    asOf: dateOrInstant.optional(),
    ...RubricSelection.shape,
  })
  .refine((q) => q.rubricVersion === undefined || q.rubric !== undefined, rubricVersionNeedsRubric)
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'from must not be after to',
    path: ['from'],
  });

export const InsightsQuery = Pagination.extend({
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  ...RubricSelection.shape,
}).refine((q) => q.rubricVersion === undefined || q.rubric !== undefined, rubricVersionNeedsRubric);

/** Skill key (of the rubric version read) → value. */
export const SkillNumbers = z.record(z.string(), z.number());

export const GrowthProfile = z.object({
  insights: z.number().int(),
  sessions: z.number().int(),
  firstAt: z.string().nullable(),
  lastAt: z.string().nullable(),
  /** Mean of every insight. */
  average: SkillNumbers,
  /** Exponentially weighted current level (recent insights count more). */
  current: SkillNumbers,
  weakest: z.array(z.string()),
});

export const SessionScores = z.object({
  sessionId: z.uuid(),
  startedAt: z.string(),
  insights: z.number().int(),
  scores: SkillNumbers,
});

export const WeeklyScores = z.object({
  /** ISO week, e.g. `2026-W02`. */
  week: z.string(),
  sessions: z.number().int(),
  insights: z.number().int(),
  scores: SkillNumbers,
});

export const HistoryResponse = z.object({
  userId: z.string(),
  /** The rubric version every score here is on. */
  rubric: RubricRef,
  asOf: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  profile: GrowthProfile,
  sessions: z.array(SessionScores),
  trend: z.object({
    /** Least-squares slope per skill over the sessions in range, in points per session. */
    slope: SkillNumbers,
    weekly: z.array(WeeklyScores),
  }),
});
export type HistoryResponse = z.infer<typeof HistoryResponse>;

export const SessionSummary = z.object({
  sessionId: z.uuid(),
  userId: z.string(),
  mode: z.enum(['coaching', 'roleplay']),
  persona: z.string().nullable(),
  channelKind: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  endReason: z.string().nullable(),
  messageCount: z.number().int(),
  lastMessageAt: z.string().nullable(),
  insightCount: z.number().int(),
  feedback: z.object({ up: z.number().int(), down: z.number().int() }),
});
export type SessionSummary = z.infer<typeof SessionSummary>;

export const SessionPage = z.object({ items: z.array(SessionSummary), nextCursor: z.string().nullable() });

export const MessageView = z.object({
  seq: z.number().int(),
  messageId: z.string(),
  role: z.enum(['user', 'assistant']),
  userId: z.string(),
  text: z.string(),
  format: z.string(),
  replyTo: z.string().nullable(),
  citations: z.array(
    z.object({
      documentId: z.string(),
      title: z.string(),
      version: z.number().optional(),
      section: z.string().optional(),
    }),
  ),
  sentAt: z.string(),
});

export const InsightView = z.object({
  insightId: z.uuid(),
  sessionId: z.uuid(),
  userId: z.string(),
  basedOnMessageId: z.string().nullable(),
  rubric: RubricRef,
  scores: SkillNumbers,
  strengths: z.array(z.string()),
  improvements: z.array(z.string()),
  nextActions: z.array(z.string()),
  summary: z.string(),
  provider: z.string().nullable(),
  model: z.string(),
  /** sha256 of the exact prompt and model parameters; null for insights recorded before it was kept. */
  promptHash: z.string().nullable(),
  /** `live` (while coaching) or `rescore` (`salesai rescore`). */
  origin: z.string(),
  derivedAt: z.string(),
});
export type InsightView = z.infer<typeof InsightView>;

export const SessionDetail = SessionSummary.extend({
  messages: z.array(MessageView),
  insights: z.array(InsightView),
});

export const InsightPage = z.object({ items: z.array(InsightView), nextCursor: z.string().nullable() });

export const KnowledgeSearchQuery = z.object({
  q: z.string().trim().min(1, 'q is required').max(1000),
  limit: z.coerce.number({ error: 'expected a number' }).int().min(1).max(50).default(5),
  language: z.enum(['ja', 'en']).optional(),
});

export const KnowledgeHit = z.object({
  documentId: z.string(),
  documentVersion: z.number().int(),
  title: z.string(),
  tags: z.array(z.string()),
  language: z.string(),
  score: z.number(),
  /** The passage of the document that answers best: its section heading, PDF page or slide. */
  section: z.object({
    passageNo: z.number().int(),
    heading: z.string().nullable(),
    page: z.number().int().nullable(),
    slide: z.number().int().nullable(),
    label: z.string().nullable(),
  }),
  passage: z.string(),
  snippet: z.string(),
  highlights: z.array(z.object({ start: z.number().int(), end: z.number().int() })),
});

export const KnowledgeSearchResponse = z.object({ query: z.string(), results: z.array(KnowledgeHit) });

/** `GET /api/v1/rubrics`: every rubric, with its versions oldest first. */
export const RubricVersionView = z.object({
  version: z.number().int(),
  name: LocalizedText,
  skills: z.array(RubricSkill),
  builtIn: z.boolean(),
  publishedAt: z.string().nullable(),
});
export const RubricList = z.object({
  items: z.array(
    z.object({ id: z.string(), latestVersion: z.number().int(), versions: z.array(RubricVersionView) }),
  ),
});
export type RubricList = z.infer<typeof RubricList>;
