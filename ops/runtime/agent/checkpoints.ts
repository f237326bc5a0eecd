import type pg from 'pg';
import type { ReactorCheckpointStore } from '../../../write/agent/ports.ts';
import type { Position } from '../../../write/event-store/port.ts';

/**
 * The agent's checkpoints in Postgres (`agent_checkpoints`). A save never moves a checkpoint
 * back: a process that lost its lock and saves late cannot undo its successor's progress.
 */
type Row = { commit_position: string; prepare_position: string };

const positionOf = (row: Row | undefined): Position | null =>
  row ? { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) } : null;

export const createPgCheckpointStore = (pool: pg.Pool): ReactorCheckpointStore => ({
  async get(name) {
    const { rows } = await pool.query<Row>(
      'SELECT commit_position::text, prepare_position::text FROM agent_checkpoints WHERE name = $1',
      [name],
    );
    return positionOf(rows[0]);
  },
  async list(prefix) {
    const { rows } = await pool.query<Row & { name: string }>(
      `SELECT name, commit_position::text, prepare_position::text FROM agent_checkpoints
        WHERE starts_with(name, $1)`,
      [prefix],
    );
    return new Map(rows.map((row) => [row.name, positionOf(row)!]));
  },
  async save(name, position: Position) {
    await pool.query(
      `INSERT INTO agent_checkpoints (name, commit_position, prepare_position) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE
         SET commit_position = EXCLUDED.commit_position,
             prepare_position = EXCLUDED.prepare_position,
             updated_at = now()
         WHERE (agent_checkpoints.commit_position, agent_checkpoints.prepare_position)
             < (EXCLUDED.commit_position, EXCLUDED.prepare_position)`,
      [name, position.commit.toString(), position.prepare.toString()],
    );
  },
});
