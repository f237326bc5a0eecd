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
  hearing              smallint NOT NULL,
  proposal             smallint NOT NULL,
  objection_handling   smallint NOT NULL,
  closing              smallint NOT NULL,
  relationship         smallint NOT NULL,
  strengths            text[] NOT NULL,
  improvements         text[] NOT NULL,
  next_actions         text[] NOT NULL,
  summary              text NOT NULL,
  model                text NOT NULL,
  derived_at           timestamptz NOT NULL,
  commit_position      numeric(20) NOT NULL,
  prepare_position     numeric(20) NOT NULL
);
CREATE INDEX ${t.conversation_insights}_user ON ${t.conversation_insights} (user_id, derived_at DESC, insight_id DESC);
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
      ...d.scores,
      strengths: d.strengths,
      improvements: d.improvements,
      next_actions: d.nextActions,
      summary: d.summary,
      model: d.model,
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

/** Every insight derived from a conversation: rubric scores, strengths, improvements, next actions. */
export const insightsProjection = defineProjection({
  name: 'insights',
  version: 1,
  tables,
  handles: ['InsightDerived'],
  ddl,
  apply: (event, { client, tables: t, position }) =>
    insertInsights([{ event, position }], client, t.conversation_insights),
  applyBatch: (events, { client, tables: t }) => insertInsights(events, client, t.conversation_insights),
  cacheScopes: (event) => (event.type === 'InsightDerived' ? [`user:${event.data.userId}`] : []),
});
