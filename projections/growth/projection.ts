import type pg from 'pg';
import type { SalesEvent } from '../../schemas/events/index.ts';
import { comparePositions, type Position } from '../../write/event-store/port.ts';
import type { PositionedEvent, TableNames } from '../projection.ts';
import { defineProjection } from '../projection.ts';
import { emptyGrowth, evolveGrowth, type GrowthState, type SkillAverages } from './model.ts';

const tables = ['user_growth', 'growth_sessions'] as const;
type Table = (typeof tables)[number];

const ddl = (t: TableNames<Table>) => `
CREATE TABLE ${t.user_growth} (
  user_id          text NOT NULL,
  rubric_id        text NOT NULL,
  rubric_version   integer NOT NULL,
  insights         integer NOT NULL,
  sessions         integer NOT NULL,
  first_at         timestamptz,
  last_at          timestamptz,
  -- skill key -> value, the keys of the rubric version
  average          jsonb NOT NULL,
  current          jsonb NOT NULL,
  commit_position  numeric(20) NOT NULL,
  prepare_position numeric(20) NOT NULL,
  PRIMARY KEY (user_id, rubric_id, rubric_version)
);

CREATE TABLE ${t.growth_sessions} (
  session_id       uuid NOT NULL,
  rubric_id        text NOT NULL,
  rubric_version   integer NOT NULL,
  user_id          text NOT NULL,
  insights         integer NOT NULL,
  first_at         timestamptz NOT NULL,
  last_at          timestamptz NOT NULL,
  sums             jsonb NOT NULL,
  commit_position  numeric(20) NOT NULL,
  prepare_position numeric(20) NOT NULL,
  PRIMARY KEY (session_id, rubric_id, rubric_version)
);
CREATE INDEX ${t.growth_sessions}_user ON ${t.growth_sessions} (user_id, rubric_id, rubric_version, first_at);
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
const keyOf = (id: string, rubricId: string, version: number) => `${id}\u0000${rubricId}\u0000${version}`;

/**
 * Per rep and rubric version: the growth summary (mean and current level per skill, counts) and
 * per-session sums. Both are the fold of model.ts over the rep's insights on that rubric version
 * in event order. Each user row remembers the last position it took in, so an insight applied
 * twice changes nothing; a batch is folded in memory and written with one upsert per table.
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
    users.set(keyOf(String(row.user_id), String(row.rubric_id), Number(row.rubric_version)), {
      state: {
        insights: Number(row.insights),
        sessions: Number(row.sessions),
        firstAt: iso(row.first_at),
        lastAt: iso(row.last_at),
        average: row.average as SkillAverages,
        current: row.current as SkillAverages,
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
    sessions.set(keyOf(String(row.session_id), String(row.rubric_id), Number(row.rubric_version)), {
      userId: String(row.user_id),
      insights: Number(row.insights),
      firstAt: iso(row.first_at)!,
      lastAt: iso(row.last_at)!,
      sums: row.sums as SkillAverages,
      position: positionOf(row),
    });
  }

  const dirtyUsers = new Set<string>();
  const dirtySessions = new Set<string>();
  for (const { event, position } of insights) {
    const d = event.data;
    const userKey = keyOf(d.userId, d.rubric.id, d.rubric.version);
    const sessionKey = keyOf(d.sessionId, d.rubric.id, d.rubric.version);
    const user = users.get(userKey) ?? { state: emptyGrowth(), position: null };
    if (user.position && comparePositions(user.position, position) >= 0) continue;
    const existing = sessions.get(sessionKey);
    const session: SessionEntry = existing
      ? {
          ...existing,
          insights: existing.insights + 1,
          lastAt: Date.parse(d.derivedAt) > Date.parse(existing.lastAt) ? d.derivedAt : existing.lastAt,
          sums: Object.fromEntries(
            Object.entries(d.scores).map(([k, v]) => [k, (existing.sums[k] ?? 0) + v]),
          ),
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
    sessions.set(sessionKey, session);
    users.set(userKey, {
      state: evolveGrowth(
        user.state,
        { sessionId: d.sessionId, derivedAt: d.derivedAt, scores: d.scores },
        !existing,
      ),
      position,
    });
    dirtyUsers.add(userKey);
    dirtySessions.add(sessionKey);
  }
  if (dirtyUsers.size === 0) return;

  const split = (key: string) => {
    const [id, rubricId, version] = key.split('\u0000');
    return { id: id!, rubricId: rubricId!, version: Number(version) };
  };
  const userRows = [...dirtyUsers].map((key) => {
    const { state, position } = users.get(key)!;
    const { id, rubricId, version } = split(key);
    return {
      user_id: id,
      rubric_id: rubricId,
      rubric_version: version,
      insights: state.insights,
      sessions: state.sessions,
      first_at: state.firstAt,
      last_at: state.lastAt,
      average: state.average,
      current: state.current,
      commit_position: position!.commit.toString(),
      prepare_position: position!.prepare.toString(),
    };
  });
  const userColumns = Object.keys(userRows[0]!).filter(
    (c) => !['user_id', 'rubric_id', 'rubric_version'].includes(c),
  );
  await client.query(
    `INSERT INTO ${t.user_growth} SELECT * FROM jsonb_populate_recordset(NULL::${t.user_growth}, $1)
     ON CONFLICT (user_id, rubric_id, rubric_version) DO UPDATE SET ${userColumns.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    [JSON.stringify(userRows)],
  );

  const sessionRows = [...dirtySessions].map((key) => {
    const s = sessions.get(key)!;
    const { id, rubricId, version } = split(key);
    return {
      session_id: id,
      rubric_id: rubricId,
      rubric_version: version,
      user_id: s.userId,
      insights: s.insights,
      first_at: s.firstAt,
      last_at: s.lastAt,
      sums: s.sums,
      commit_position: s.position.commit.toString(),
      prepare_position: s.position.prepare.toString(),
    };
  });
  const sessionColumns = Object.keys(sessionRows[0]!).filter(
    (c) => !['session_id', 'rubric_id', 'rubric_version'].includes(c),
  );
  await client.query(
    `INSERT INTO ${t.growth_sessions} SELECT * FROM jsonb_populate_recordset(NULL::${t.growth_sessions}, $1)
     ON CONFLICT (session_id, rubric_id, rubric_version) DO UPDATE SET ${sessionColumns.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    [JSON.stringify(sessionRows)],
  );
};

export const growthProjection = defineProjection({
  name: 'growth',
  // 2: keyed by rubric id + version, skill values as jsonb (was a column per core skill).
  version: 2,
  tables,
  handles: ['InsightDerived'],
  ddl,
  apply: (event, { client, tables: t, position }) => applyGrowth([{ event, position }], client, t),
  applyBatch: (events, { client, tables: t }) => applyGrowth(events, client, t),
  cacheScopes: (event) => (event.type === 'InsightDerived' ? [`user:${event.data.userId}`] : []),
});
