import type pg from 'pg';
import type { SalesEvent } from '../../schemas/events/index.ts';
import type { Position } from '../../write/event-store/port.ts';
import type { PositionedEvent, TableNames } from '../projection.ts';
import { defineProjection } from '../projection.ts';

const tables = ['conversation_insights'] as const;

const ddl = (t: TableNames<(typeof tables)[number]>) => `
CREATE TABLE ${t.conversation_insights} (
  insight_id           uuid PRIMARY KEY,
  session_id           uuid NOT NULL,
  user_id              text NOT NULL,
  based_on_message_id  text,
  rubric_id            text NOT NULL,
  rubric_version       integer NOT NULL,
  -- skill key -> 1..5, the keys of that rubric version
  scores               jsonb NOT NULL,
  strengths            text[] NOT NULL,
  improvements         text[] NOT NULL,
  next_actions         text[] NOT NULL,
  summary              text NOT NULL,
  provider             text,
  model                text NOT NULL,
  prompt_hash          text,
  origin               text NOT NULL,
  derived_at           timestamptz NOT NULL,
  commit_position      numeric(20) NOT NULL,
  prepare_position     numeric(20) NOT NULL
);
CREATE INDEX ${t.conversation_insights}_user ON ${t.conversation_insights} (user_id, rubric_id, rubric_version, derived_at DESC, insight_id DESC);
CREATE INDEX ${t.conversation_insights}_session ON ${t.conversation_insights} (session_id);
`;

type InsightEvent = Extract<SalesEvent, { type: 'InsightDerived' }>;

const insertInsights = async (items: readonly PositionedEvent[], client: pg.ClientBase, table: string) => {
  const rows = items
    .filter((i): i is { event: InsightEvent; position: Position } => i.event.type === 'InsightDerived')
    .map(({ event: { data: d }, position }) => ({
      insight_id: d.insightId,
      session_id: d.sessionId,
      user_id: d.userId,
      based_on_message_id: d.basedOnMessageId,
      rubric_id: d.rubric.id,
      rubric_version: d.rubric.version,
      scores: d.scores,
      strengths: d.strengths,
      improvements: d.improvements,
      next_actions: d.nextActions,
      summary: d.summary,
      provider: d.provider,
      model: d.model,
      prompt_hash: d.promptHash,
      origin: d.origin,
      derived_at: d.derivedAt,
      commit_position: position.commit.toString(),
      prepare_position: position.prepare.toString(),
    }));
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1) ON CONFLICT (insight_id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
};

/**
 * Every insight derived from a conversation: its rubric version and scores (jsonb keyed by
 * skill), strengths, improvements, next actions, and how it was made (provider, model, prompt hash).
 */
export const insightsProjection = defineProjection({
  name: 'insights',
  // 2: keyed by rubric id + version, scores as jsonb (was a column per core skill).
  version: 2,
  tables,
  handles: ['InsightDerived'],
  ddl,
  apply: (event, { client, tables: t, position }) =>
    insertInsights([{ event, position }], client, t.conversation_insights),
  applyBatch: (events, { client, tables: t }) => insertInsights(events, client, t.conversation_insights),
  cacheScopes: (event) => (event.type === 'InsightDerived' ? [`user:${event.data.userId}`] : []),
});
