import type pg from 'pg';
import type { SalesEvent } from '../../schemas/events/index.ts';
import { skillKeys } from '../../schemas/skills.ts';
import { comparePositions, type Position } from '../../write/event-store/port.ts';
import type { PositionedEvent, TableNames } from '../projection.ts';
import { defineProjection } from '../projection.ts';
import { emptyGrowth, evolveGrowth, type GrowthState, type SkillAverages } from './model.ts';

const tables = ['user_growth', 'growth_sessions'] as const;
type Table = (typeof tables)[number];

const skillColumns = (prefix: string) =>
  skillKeys.map((k) => `${prefix}_${k} double precision NOT NULL DEFAULT 0`).join(',\n  ');

const ddl = (t: TableNames<Table>) => `
CREATE TABLE ${t.user_growth} (
  user_id          text PRIMARY KEY,
  insights         integer NOT NULL,
  sessions         integer NOT NULL,
  first_at         timestamptz,
  last_at          timestamptz,
  ${skillColumns('avg')},
  ${skillColumns('cur')},
  commit_position  numeric(20) NOT NULL,
  prepare_position numeric(20) NOT NULL
);

CREATE TABLE ${t.growth_sessions} (
  session_id       uuid PRIMARY KEY,
  user_id          text NOT NULL,
  insights         integer NOT NULL,
  first_at         timestamptz NOT NULL,
  last_at          timestamptz NOT NULL,
  ${skillColumns('sum')},
  commit_position  numeric(20) NOT NULL,
  prepare_position numeric(20) NOT NULL
);
CREATE INDEX ${t.growth_sessions}_user ON ${t.growth_sessions} (user_id, first_at);
`;

type Row = Record<string, unknown>;
type UserEntry = { state: GrowthState; position: Position | null };
type SessionEntry = {
  userId: string;
  insights: number;
  firstAt: string;
  lastAt: string;
  sums: SkillAverages;
  position: Position;
};

const positionOf = (row: Row): Position => ({
  commit: BigInt(String(row.commit_position)),
  prepare: BigInt(String(row.prepare_position)),
});
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null ? null : String(v));
const skills = (row: Row, prefix: string) =>
  Object.fromEntries(skillKeys.map((k) => [k, Number(row[`${prefix}_${k}`])])) as SkillAverages;

/**
 * Per rep: the growth summary (mean and current level per skill, counts) and per-session sums.
 * Both are the fold of model.ts over the rep's insights in event order. Each user row remembers
 * the last position it took in, so an insight applied twice changes nothing; a batch is folded
 * in memory and written with one upsert per table.
 */
const applyGrowth = async (
  items: readonly PositionedEvent[],
  client: pg.ClientBase,
  t: TableNames<Table>,
) => {
  const insights = items.filter(
    (i): i is { event: Extract<SalesEvent, { type: 'InsightDerived' }>; position: Position } =>
      i.event.type === 'InsightDerived',
  );
  if (insights.length === 0) return;
  const userIds = [...new Set(insights.map((i) => i.event.data.userId))];
  const sessionIds = [...new Set(insights.map((i) => i.event.data.sessionId))];
  const users = new Map<string, UserEntry>();
  for (const row of (
    await client.query<Row>(`SELECT * FROM ${t.user_growth} WHERE user_id = ANY($1) FOR UPDATE`, [userIds])
  ).rows) {
    users.set(String(row.user_id), {
      state: {
        insights: Number(row.insights),
        sessions: Number(row.sessions),
        firstAt: iso(row.first_at),
        lastAt: iso(row.last_at),
        average: skills(row, 'avg'),
        current: skills(row, 'cur'),
      },
      position: positionOf(row),
    });
  }
  const sessions = new Map<string, SessionEntry>();
  for (const row of (
    await client.query<Row>(
      `SELECT * FROM ${t.growth_sessions} WHERE session_id = ANY($1::uuid[]) FOR UPDATE`,
      [sessionIds],
    )
  ).rows) {
    sessions.set(String(row.session_id), {
      userId: String(row.user_id),
      insights: Number(row.insights),
      firstAt: iso(row.first_at)!,
      lastAt: iso(row.last_at)!,
      sums: skills(row, 'sum'),
      position: positionOf(row),
    });
  }

  const dirtyUsers = new Set<string>();
  const dirtySessions = new Set<string>();
  for (const { event, position } of insights) {
    const d = event.data;
    const user = users.get(d.userId) ?? { state: emptyGrowth(), position: null };
    if (user.position && comparePositions(user.position, position) >= 0) continue;
    const existing = sessions.get(d.sessionId);
    const session: SessionEntry = existing
      ? {
          ...existing,
          insights: existing.insights + 1,
          lastAt: Date.parse(d.derivedAt) > Date.parse(existing.lastAt) ? d.derivedAt : existing.lastAt,
          sums: Object.fromEntries(
            skillKeys.map((k) => [k, existing.sums[k] + d.scores[k]]),
          ) as SkillAverages,
          position,
        }
      : {
          userId: d.userId,
          insights: 1,
          firstAt: d.derivedAt,
          lastAt: d.derivedAt,
          sums: { ...d.scores },
          position,
        };
    sessions.set(d.sessionId, session);
    users.set(d.userId, {
      state: evolveGrowth(
        user.state,
        { sessionId: d.sessionId, derivedAt: d.derivedAt, scores: d.scores },
        !existing,
      ),
      position,
    });
    dirtyUsers.add(d.userId);
    dirtySessions.add(d.sessionId);
  }
  if (dirtyUsers.size === 0) return;

  const userRows = [...dirtyUsers].map((id) => {
    const { state, position } = users.get(id)!;
    return {
      user_id: id,
      insights: state.insights,
      sessions: state.sessions,
      first_at: state.firstAt,
      last_at: state.lastAt,
      ...Object.fromEntries(skillKeys.map((k) => [`avg_${k}`, state.average[k]])),
      ...Object.fromEntries(skillKeys.map((k) => [`cur_${k}`, state.current[k]])),
      commit_position: position!.commit.toString(),
      prepare_position: position!.prepare.toString(),
    };
  });
  const userColumns = Object.keys(userRows[0]!).filter((c) => c !== 'user_id');
  await client.query(
    `INSERT INTO ${t.user_growth} SELECT * FROM jsonb_populate_recordset(NULL::${t.user_growth}, $1)
     ON CONFLICT (user_id) DO UPDATE SET ${userColumns.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    [JSON.stringify(userRows)],
  );

  const sessionRows = [...dirtySessions].map((id) => {
    const s = sessions.get(id)!;
    return {
      session_id: id,
      user_id: s.userId,
      insights: s.insights,
      first_at: s.firstAt,
      last_at: s.lastAt,
      ...Object.fromEntries(skillKeys.map((k) => [`sum_${k}`, s.sums[k]])),
      commit_position: s.position.commit.toString(),
      prepare_position: s.position.prepare.toString(),
    };
  });
  const sessionColumns = Object.keys(sessionRows[0]!).filter((c) => c !== 'session_id');
  await client.query(
    `INSERT INTO ${t.growth_sessions} SELECT * FROM jsonb_populate_recordset(NULL::${t.growth_sessions}, $1)
     ON CONFLICT (session_id) DO UPDATE SET ${sessionColumns.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    [JSON.stringify(sessionRows)],
  );
};

export const growthProjection = defineProjection({
  name: 'growth',
  version: 1,
  tables,
  handles: ['InsightDerived'],
  ddl,
  apply: (event, { client, tables: t, position }) => applyGrowth([{ event, position }], client, t),
  applyBatch: (events, { client, tables: t }) => applyGrowth(events, client, t),
  cacheScopes: (event) => (event.type === 'InsightDerived' ? [`user:${event.data.userId}`] : []),
});
