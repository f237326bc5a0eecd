import type pg from 'pg';

export const requestRebuild = async (
  db: pg.Pool | pg.ClientBase,
  name: string,
  requestedBy: string,
): Promise<number> => {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO projection_rebuild_requests (name, requested_by) VALUES ($1, $2) RETURNING id',
    [name, requestedBy],
  );
  return Number(rows[0]!.id);
};

/** Marks every open request for the projection as picked; true when there was one. */
export const takeRebuildRequests = async (db: pg.Pool | pg.ClientBase, name: string): Promise<boolean> => {
  const { rowCount } = await db.query(
    'UPDATE projection_rebuild_requests SET picked_at = now() WHERE name = $1 AND picked_at IS NULL',
    [name],
  );
  return (rowCount ?? 0) > 0;
};

export const pendingRebuildRequests = async (db: pg.Pool | pg.ClientBase, name: string): Promise<number> => {
  const { rows } = await db.query<{ n: string }>(
    'SELECT count(*) AS n FROM projection_rebuild_requests WHERE name = $1 AND picked_at IS NULL',
    [name],
  );
  return Number(rows[0]!.n);
};
