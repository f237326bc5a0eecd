import type pg from 'pg';
import {
  builtInRubrics,
  defaultRubricRef,
  type Rubric,
  type RubricRef,
  rubricTeamsOf,
  sameRubric,
} from '../../schemas/rubrics.ts';

const undefinedTable = '42P01';

export type TeamsConfig = {
  managerUserIds: readonly string[];
  teams: Readonly<Record<string, readonly string[]>>;
};

export type RubricVersionView = Rubric & { builtIn: boolean; publishedAt: string | null };

/** Every rubric version: the built-in ones and those published, by id then version. */
export const listRubricVersions = async (pool: pg.Pool): Promise<RubricVersionView[]> => {
  const { rows } = await pool.query<{
    rubric_id: string;
    version: number;
    name: Rubric['name'];
    skills: Rubric['skills'];
    published_at: Date;
  }>('SELECT * FROM rubric_versions ORDER BY rubric_id, version');
  const published: RubricVersionView[] = rows.map((r) => ({
    id: r.rubric_id,
    version: r.version,
    name: r.name,
    skills: r.skills,
    builtIn: false,
    publishedAt: r.published_at.toISOString(),
  }));
  const all = [
    ...builtInRubrics
      .filter((b) => !published.some((p) => sameRubric(p, b)))
      .map((b) => ({ ...b, builtIn: true, publishedAt: null })),
    ...published,
  ];
  return all.sort((a, b) => a.id.localeCompare(b.id) || a.version - b.version);
};

/** One rubric version, or null when it does not exist. */
export const findRubric = async (pool: pg.Pool, ref: RubricRef): Promise<Rubric | null> => {
  const builtIn = builtInRubrics.find((b) => sameRubric(b, ref));
  if (builtIn) return builtIn;
  const { rows } = await pool.query<{ name: Rubric['name']; skills: Rubric['skills'] }>(
    'SELECT name, skills FROM rubric_versions WHERE rubric_id = $1 AND version = $2',
    [ref.id, ref.version],
  );
  return rows[0] ? { id: ref.id, version: ref.version, name: rows[0].name, skills: rows[0].skills } : null;
};

/** The newest version of a rubric id, or null when the id is unknown. */
export const latestRubricVersion = async (pool: pg.Pool, rubricId: string): Promise<number | null> => {
  const { rows } = await pool.query<{ v: number | null }>(
    'SELECT max(version)::int AS v FROM rubric_versions WHERE rubric_id = $1',
    [rubricId],
  );
  const published = rows[0]?.v ?? null;
  const builtIn = builtInRubrics.filter((b) => b.id === rubricId).map((b) => b.version);
  const all = [...builtIn, ...(published === null ? [] : [published])];
  return all.length > 0 ? Math.max(...all) : null;
};

/** The rubric a rep's team has chosen (else the default choice, else core v1): what the agent scores with now. */
export const currentRubricOf = async (
  pool: pg.Pool,
  userId: string,
  config: TeamsConfig,
): Promise<RubricRef> => {
  const teams = rubricTeamsOf(userId, config);
  const rows = await pool
    .query<{ team_id: string; rubric_id: string; rubric_version: number }>(
      'SELECT team_id, rubric_id, rubric_version FROM team_rubric_choices WHERE team_id = ANY($1)',
      [teams],
    )
    .then(
      (r) => r.rows,
      // A fresh install whose rubrics projection has not made its tables yet: nobody has chosen.
      (error: { code?: string }) => {
        if (error.code === undefinedTable) return [];
        throw error;
      },
    );
  for (const team of teams) {
    const row = rows.find((r) => r.team_id === team);
    if (row) return { id: row.rubric_id, version: row.rubric_version };
  }
  return { ...defaultRubricRef };
};

/** The rubric versions a rep has scores on, newest version first within an id. */
export const rubricsWithDataFor = async (pool: pg.Pool, userId: string): Promise<RubricRef[]> => {
  const { rows } = await pool.query<{ rubric_id: string; rubric_version: number }>(
    `SELECT DISTINCT rubric_id, rubric_version FROM user_growth WHERE user_id = $1
      ORDER BY rubric_id, rubric_version DESC`,
    [userId],
  );
  return rows.map((r) => ({ id: r.rubric_id, version: r.rubric_version }));
};

/**
 * The rubric version a growth view shows by default: the rep's team's current rubric, at the
 * newest version of it that the rep has scores on (a new version starts empty until rescored or
 * coached again); the current choice itself when the rep has none on that rubric.
 */
export const defaultViewRubricOf = async (
  pool: pg.Pool,
  userId: string,
  config: TeamsConfig,
): Promise<RubricRef> => {
  const current = await currentRubricOf(pool, userId, config);
  const withData = (await rubricsWithDataFor(pool, userId)).find((r) => r.id === current.id);
  return withData ?? current;
};

/** A rubric asked for by a viewer: an id, and optionally one of its versions. */
export type RubricRequest = { id: string; version?: number | undefined };

/**
 * The rubric version a growth view of `userId` reads: the one asked for (an id alone means the
 * newest version of it the rep has scores on, else its newest version), or the default of
 * `defaultViewRubricOf`. Null when what was asked for does not exist.
 */
export const viewRubricOf = async (
  pool: pg.Pool,
  userId: string,
  config: TeamsConfig,
  requested?: RubricRequest,
): Promise<Rubric | null> => {
  if (!requested) {
    return (await findRubric(pool, await defaultViewRubricOf(pool, userId, config))) ?? builtInRubrics[0]!;
  }
  if (requested.version !== undefined)
    return findRubric(pool, { id: requested.id, version: requested.version });
  const withData = (await rubricsWithDataFor(pool, userId)).find((r) => r.id === requested.id);
  const version = withData?.version ?? (await latestRubricVersion(pool, requested.id));
  return version === null ? null : findRubric(pool, { id: requested.id, version });
};

export const noTeams: TeamsConfig = { managerUserIds: [], teams: {} };
