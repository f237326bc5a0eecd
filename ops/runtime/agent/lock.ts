import pg from 'pg';
import type { ReactorLock } from '../../../write/agent/ports.ts';

/**
 * A session-level advisory lock on a connection of its own: held while that connection lives,
 * released by Postgres when the process (or the connection) dies. Keyed by schema and name in
 * the same key space as the projection runners' locks, so separate schemas never contend.
 */
export const createPgReactorLock = (config: pg.ClientConfig, name: string): ReactorLock => {
  const key = `agent:${name}`;
  let client: pg.Client | null = null;
  let lost = false;
  const lockSql = "hashtext('salesai.lock'), hashtext(current_schema() || ':' || $1)";

  return {
    async tryAcquire() {
      if (client && !lost) return true;
      const candidate = new pg.Client({ ...config, application_name: 'salesai-agent-lock' });
      candidate.on('error', () => {
        lost = true;
      });
      try {
        await candidate.connect();
        const { rows } = await candidate.query<{ locked: boolean }>(
          `SELECT pg_try_advisory_lock(${lockSql}) AS locked`,
          [key],
        );
        if (!rows[0]?.locked) {
          await candidate.end();
          return false;
        }
        candidate.on('end', () => {
          lost = true;
        });
        client = candidate;
        lost = false;
        return true;
      } catch (error) {
        await candidate.end().catch(() => {});
        throw error;
      }
    },

    async stillHeld() {
      if (!client || lost) return false;
      try {
        await client.query('SELECT 1');
        return true;
      } catch {
        lost = true;
        return false;
      }
    },

    async release() {
      const held = client;
      client = null;
      if (!held) return;
      await held.query(`SELECT pg_advisory_unlock(${lockSql})`, [key]).catch(() => {});
      await held.end().catch(() => {});
    },
  };
};
