import type pg from 'pg';
import type { TableNames } from '../projection.ts';
import { defineProjection } from '../projection.ts';

const tables = ['rubric_versions', 'team_rubric_choices'] as const;
type Table = (typeof tables)[number];

const ddl = (t: TableNames<Table>) => `
CREATE TABLE ${t.rubric_versions} (
  rubric_id        text NOT NULL,
  version          integer NOT NULL,
  name             jsonb NOT NULL,
  skills           jsonb NOT NULL,
  published_at     timestamptz NOT NULL,
  PRIMARY KEY (rubric_id, version)
);

CREATE TABLE ${t.team_rubric_choices} (
  team_id          text PRIMARY KEY,
  rubric_id        text NOT NULL,
  rubric_version   integer NOT NULL,
  chosen_at        timestamptz NOT NULL,
  commit_position  numeric(20) NOT NULL,
  prepare_position numeric(20) NOT NULL
);
`;

/**
 * Published rubric versions (the built-in ones live in schemas/rubrics.ts, not here) and each
 * team's current choice. A version is written once; a choice keeps the newest by position.
 */
export const rubricsProjection = defineProjection({
  name: 'rubrics',
  version: 1,
  tables,
  handles: ['RubricPublished', 'TeamRubricChosen'],
  ddl,
  apply: async (event, { client, tables: t, position }) => {
    const db: pg.ClientBase = client;
    if (event.type === 'RubricPublished') {
      const d = event.data;
      await db.query(
        `INSERT INTO ${t.rubric_versions} (rubric_id, version, name, skills, published_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (rubric_id, version) DO NOTHING`,
        [d.id, d.version, JSON.stringify(d.name), JSON.stringify(d.skills), d.publishedAt],
      );
    } else if (event.type === 'TeamRubricChosen') {
      const d = event.data;
      await db.query(
        `INSERT INTO ${t.team_rubric_choices} AS c
           (team_id, rubric_id, rubric_version, chosen_at, commit_position, prepare_position)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (team_id) DO UPDATE SET rubric_id = excluded.rubric_id,
           rubric_version = excluded.rubric_version, chosen_at = excluded.chosen_at,
           commit_position = excluded.commit_position, prepare_position = excluded.prepare_position
         WHERE (c.commit_position, c.prepare_position) < (excluded.commit_position, excluded.prepare_position)`,
        [
          d.teamId,
          d.rubric.id,
          d.rubric.version,
          d.chosenAt,
          position.commit.toString(),
          position.prepare.toString(),
        ],
      );
    }
  },
  cacheScopes: (event) =>
    event.type === 'TeamRubricChosen' || event.type === 'RubricPublished' ? ['rubrics'] : [],
});
