import type { SalesEvent } from '../../schemas/events/index.ts';
import type { ApplyContext, TableNames } from '../projection.ts';
import { defineProjection } from '../projection.ts';

const tables = ['skill_targets'] as const;
type Table = (typeof tables)[number];

/**
 * One row per rep, rubric version and skill: the target set last, `active` until it is cleared.
 * Keyed by rubric id + version + skill key as text, so any rubric's skills fit.
 */
const ddl = (t: TableNames<Table>) => `
CREATE TABLE ${t.skill_targets} (
  user_id          text NOT NULL,
  rubric_id        text NOT NULL,
  rubric_version   integer NOT NULL,
  skill            text NOT NULL,
  target_id        uuid NOT NULL,
  level            numeric(3,1) NOT NULL,
  due_date         date NOT NULL,
  set_by           text NOT NULL,
  set_at           timestamptz NOT NULL,
  active           boolean NOT NULL,
  commit_position  numeric(20) NOT NULL,
  prepare_position numeric(20) NOT NULL,
  PRIMARY KEY (user_id, rubric_id, rubric_version, skill)
);
`;

/** Later positions win, so applying an event twice (or an older one after a newer) changes nothing. */
const isNewer = (commit: string, prepare: string) =>
  `(s.commit_position, s.prepare_position) < (${commit}::numeric, ${prepare}::numeric)`;

const apply = async (event: SalesEvent, { client, tables: t, position }: ApplyContext<Table>) => {
  const at = [position.commit.toString(), position.prepare.toString()];
  if (event.type === 'SkillTargetSet') {
    const d = event.data;
    await client.query(
      `INSERT INTO ${t.skill_targets} AS s VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, true, $10, $11)
       ON CONFLICT (user_id, rubric_id, rubric_version, skill) DO UPDATE
         SET target_id = excluded.target_id, level = excluded.level, due_date = excluded.due_date,
             set_by = excluded.set_by, set_at = excluded.set_at, active = true,
             commit_position = excluded.commit_position, prepare_position = excluded.prepare_position
       WHERE ${isNewer('$10', '$11')}`,
      [
        d.userId,
        d.rubric.id,
        d.rubric.version,
        d.skill,
        d.targetId,
        d.level,
        d.dueDate,
        d.setBy,
        d.setAt,
        ...at,
      ],
    );
  } else if (event.type === 'SkillTargetCleared') {
    const d = event.data;
    await client.query(
      `UPDATE ${t.skill_targets} AS s SET active = false, commit_position = $6, prepare_position = $7
        WHERE user_id = $1 AND rubric_id = $2 AND rubric_version = $3 AND skill = $4 AND target_id = $5
          AND ${isNewer('$6', '$7')}`,
      [d.userId, d.rubric.id, d.rubric.version, d.skill, d.targetId, ...at],
    );
  }
};

export const skillTargetsProjection = defineProjection({
  name: 'skill_targets',
  version: 1,
  tables,
  handles: ['SkillTargetSet', 'SkillTargetCleared'],
  ddl,
  apply,
  cacheScopes: (event) =>
    event.type === 'SkillTargetSet' || event.type === 'SkillTargetCleared'
      ? [`user:${event.data.userId}`]
      : [],
});
