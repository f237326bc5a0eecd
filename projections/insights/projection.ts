import type { TableNames } from '../projection.ts';
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

/** Every insight derived from a conversation: rubric scores, strengths, improvements, next actions. */
export const insightsProjection = defineProjection({
  name: 'insights',
  version: 1,
  tables,
  handles: ['InsightDerived'],
  ddl,
  apply: async (event, { client, tables: t, position }) => {
    if (event.type !== 'InsightDerived') return;
    const d = event.data;
    await client.query(
      `INSERT INTO ${t.conversation_insights}
         (insight_id, session_id, user_id, based_on_message_id, hearing, proposal, objection_handling, closing,
          relationship, strengths, improvements, next_actions, summary, model, derived_at, commit_position, prepare_position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (insight_id) DO NOTHING`,
      [
        d.insightId,
        d.sessionId,
        d.userId,
        d.basedOnMessageId,
        d.scores.hearing,
        d.scores.proposal,
        d.scores.objection_handling,
        d.scores.closing,
        d.scores.relationship,
        d.strengths,
        d.improvements,
        d.nextActions,
        d.summary,
        d.model,
        d.derivedAt,
        position.commit.toString(),
        position.prepare.toString(),
      ],
    );
  },
  cacheScopes: (event) => (event.type === 'InsightDerived' ? [`user:${event.data.userId}`] : []),
});
