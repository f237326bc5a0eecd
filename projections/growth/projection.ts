import { skillKeys } from '../../schemas/skills.ts';
import { comparePositions } from '../../write/event-store/port.ts';
import type { TableNames } from '../projection.ts';
import { defineProjection } from '../projection.ts';
import { emptyGrowth, evolveGrowth, type GrowthState } from './model.ts';

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

type UserRow = Record<string, unknown> & {
  insights: number;
  sessions: number;
  first_at: Date | null;
  last_at: Date | null;
  commit_position: string;
  prepare_position: string;
};

const stateOf = (row: UserRow): GrowthState => ({
  insights: row.insights,
  sessions: row.sessions,
  firstAt: row.first_at?.toISOString() ?? null,
  lastAt: row.last_at?.toISOString() ?? null,
  average: Object.fromEntries(skillKeys.map((k) => [k, Number(row[`avg_${k}`])])) as GrowthState['average'],
  current: Object.fromEntries(skillKeys.map((k) => [k, Number(row[`cur_${k}`])])) as GrowthState['current'],
});

/**
 * Per rep: the growth summary (mean and current level per skill, counts) and per-session
 * averages. Both are folds over the rep's insights in event order; each row remembers the last
 * event position it took in, so an event applied twice changes nothing.
 */
export const growthProjection = defineProjection({
  name: 'growth',
  version: 1,
  tables,
  handles: ['InsightDerived'],
  ddl,
  apply: async (event, { client, tables: t, position }) => {
    if (event.type !== 'InsightDerived') return;
    const d = event.data;
    const pos = [position.commit.toString(), position.prepare.toString()];
    const sums = skillKeys.map((k) => d.scores[k]);

    const { rows: existing } = await client.query<UserRow>(
      `SELECT * FROM ${t.user_growth} WHERE user_id = $1 FOR UPDATE`,
      [d.userId],
    );
    const row = existing[0];
    if (
      row &&
      comparePositions(
        { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) },
        position,
      ) >= 0
    ) {
      return;
    }

    const session = await client.query<{ inserted: boolean }>(
      `INSERT INTO ${t.growth_sessions}
         (session_id, user_id, insights, first_at, last_at, ${skillKeys.map((k) => `sum_${k}`).join(', ')}, commit_position, prepare_position)
       VALUES ($1, $2, 1, $3, $3, ${skillKeys.map((_, i) => `$${i + 4}`).join(', ')}, $9, $10)
       ON CONFLICT (session_id) DO UPDATE SET
         insights = ${t.growth_sessions}.insights + 1,
         last_at = GREATEST(${t.growth_sessions}.last_at, excluded.last_at),
         ${skillKeys.map((k) => `sum_${k} = ${t.growth_sessions}.sum_${k} + excluded.sum_${k}`).join(',\n         ')},
         commit_position = excluded.commit_position,
         prepare_position = excluded.prepare_position
       RETURNING (xmax = 0) AS inserted`,
      [d.sessionId, d.userId, d.derivedAt, ...sums, ...pos],
    );
    const newSession = session.rows[0]?.inserted ?? false;

    const next = evolveGrowth(
      row ? stateOf(row) : emptyGrowth(),
      { sessionId: d.sessionId, derivedAt: d.derivedAt, scores: d.scores },
      newSession,
    );
    const values = [
      d.userId,
      next.insights,
      next.sessions,
      next.firstAt,
      next.lastAt,
      ...skillKeys.map((k) => next.average[k]),
      ...skillKeys.map((k) => next.current[k]),
      ...pos,
    ];
    const columns = [
      'user_id',
      'insights',
      'sessions',
      'first_at',
      'last_at',
      ...skillKeys.map((k) => `avg_${k}`),
      ...skillKeys.map((k) => `cur_${k}`),
      'commit_position',
      'prepare_position',
    ];
    await client.query(
      `INSERT INTO ${t.user_growth} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
       ON CONFLICT (user_id) DO UPDATE SET ${columns
         .slice(1)
         .map((c) => `${c} = excluded.${c}`)
         .join(', ')}`,
      values,
    );
  },
  cacheScopes: (event) => (event.type === 'InsightDerived' ? [`user:${event.data.userId}`] : []),
});
