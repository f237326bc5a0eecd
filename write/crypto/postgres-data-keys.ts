import type pg from 'pg';
import type { DataKeyRepository, DataKeyRow } from './data-key-repository.ts';

type Row = {
  subject_id: string;
  generation: number;
  key_id: string | null;
  wrapped_key: Buffer | null;
  created_at: Date;
  destroyed_at: Date | null;
};

const toRow = (r: Row): DataKeyRow => ({
  subjectId: r.subject_id,
  generation: r.generation,
  keyId: r.key_id,
  wrappedKey: r.wrapped_key,
  createdAt: r.created_at,
  destroyedAt: r.destroyed_at,
});

const columns = 'subject_id, generation, key_id, wrapped_key, created_at, destroyed_at';

/** The `data_keys` table (migration 1763900005000_data-keys.sql). */
export const postgresDataKeys = (pool: pg.Pool): DataKeyRepository => {
  const find = async (subjectId: string) => {
    const { rows } = await pool.query<Row>(`SELECT ${columns} FROM data_keys WHERE subject_id = $1`, [
      subjectId,
    ]);
    return rows[0] ? toRow(rows[0]) : null;
  };
  const mustFind = async (subjectId: string) => {
    const row = await find(subjectId);
    if (!row) throw new Error(`data key of ${subjectId} vanished`);
    return row;
  };
  return {
    find,
    async create(subjectId, keyId, wrappedKey) {
      await pool.query(
        `INSERT INTO data_keys (subject_id, generation, key_id, wrapped_key) VALUES ($1, 1, $2, $3)
         ON CONFLICT (subject_id) DO NOTHING`,
        [subjectId, keyId, wrappedKey],
      );
      return mustFind(subjectId);
    },
    async renew(subjectId, generation, keyId, wrappedKey) {
      await pool.query(
        `UPDATE data_keys SET generation = generation + 1, key_id = $3, wrapped_key = $4,
                created_at = now(), rotated_at = NULL, destroyed_at = NULL
          WHERE subject_id = $1 AND generation = $2 AND wrapped_key IS NULL`,
        [subjectId, generation, keyId, wrappedKey],
      );
      return mustFind(subjectId);
    },
    async destroy(subjectId) {
      const { rows } = await pool.query<Row>(
        `UPDATE data_keys SET key_id = NULL, wrapped_key = NULL, destroyed_at = coalesce(destroyed_at, now())
          WHERE subject_id = $1 RETURNING ${columns}`,
        [subjectId],
      );
      return rows[0] ? toRow(rows[0]) : null;
    },
    async wrappedByOthers(keyId, limit, afterSubject) {
      const { rows } = await pool.query<Row>(
        `SELECT ${columns} FROM data_keys
          WHERE wrapped_key IS NOT NULL AND key_id <> $1 AND subject_id > $3
          ORDER BY subject_id LIMIT $2`,
        [keyId, limit, afterSubject],
      );
      return rows.map(toRow);
    },
    async rewrap(row, keyId, wrappedKey) {
      const result = await pool.query(
        `UPDATE data_keys SET key_id = $4, wrapped_key = $5, rotated_at = now()
          WHERE subject_id = $1 AND generation = $2 AND key_id = $3 AND wrapped_key IS NOT NULL`,
        [row.subjectId, row.generation, row.keyId, keyId, wrappedKey],
      );
      return (result.rowCount ?? 0) === 1;
    },
    async sampleByRingKey(perRingKey) {
      // One index probe per ring key id in use (the partial index on key_id), not a table scan.
      const { rows } = await pool.query<Row>(
        `SELECT d.subject_id, d.generation, d.key_id, d.wrapped_key, d.created_at, d.destroyed_at
           FROM (SELECT DISTINCT key_id FROM data_keys WHERE wrapped_key IS NOT NULL) k
           CROSS JOIN LATERAL (
             SELECT ${columns} FROM data_keys
              WHERE key_id = k.key_id AND wrapped_key IS NOT NULL
              ORDER BY subject_id LIMIT $1) d`,
        [perRingKey],
      );
      return rows.map(toRow);
    },
    async countByRingKey() {
      const { rows } = await pool.query<{ key_id: string | null; count: number }>(
        'SELECT key_id, count(*)::int AS count FROM data_keys GROUP BY key_id ORDER BY key_id NULLS LAST',
      );
      return rows.map((r) => ({ keyId: r.key_id, count: r.count }));
    },
  };
};
