import pg from 'pg';
import type { PartitionLeases } from '../../../write/agent/ports.ts';

/** Agent processes that can take part at once (a membership slot each). */
const maxMembers = 64;

/** Unsigned, as pg_locks shows the two int4 halves of an advisory key. */
const lockKey = "hashtext('salesai.lock')";
const objectKey = (param: string) => `hashtext(current_schema() || ':' || ${param})`;
const asOid = (expression: string) => `((${expression})::bigint + 4294967296) % 4294967296`;

/**
 * The agent's partitions as Postgres advisory locks, all held on one connection of the process:
 * a membership slot (so that every process can count the others and take its fair share) and
 * one lock per partition it owns. When the process or its connection dies, Postgres releases
 * them all at once and the other processes take the partitions over from their checkpoints.
 * Keys are per schema, in the same key space as the projection runners' locks.
 */
export const createPgPartitionLeases = (
  config: pg.ClientConfig,
  name: string,
  count: number,
  options: { guest?: boolean } = {},
): PartitionLeases => {
  const guest = options.guest ?? false;
  const memberKey = `agent:${name}:member:`;
  // Guests (`salesai chat`) hold slots of their own: members never count them.
  const slotKey = guest ? `agent:${name}:guest:` : memberKey;
  const partitionKey = (partition: number) => `agent:${name}:partition:${partition}/${count}`;
  let client: pg.Client | null = null;
  let lost = false;
  // Advisory locks are re-entrant within a session: taking one twice would need two unlocks.
  const held = new Set<number>();

  const tryLock = async (c: pg.Client, key: string) => {
    const { rows } = await c.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(${lockKey}, ${objectKey('$1')}) AS locked`,
      [key],
    );
    return rows[0]?.locked === true;
  };

  const connected = () => {
    if (!client || lost) throw new Error('not a member: no lock connection');
    return client;
  };

  return {
    count,
    guest,

    async tryAcquire() {
      if (client && !lost) return true;
      const candidate = new pg.Client({ ...config, application_name: 'salesai-agent' });
      candidate.on('error', () => {
        lost = true;
      });
      held.clear();
      try {
        await candidate.connect();
        for (let slot = 0; slot < maxMembers; slot++) {
          if (!(await tryLock(candidate, `${slotKey}${slot}`))) continue;
          candidate.on('end', () => {
            lost = true;
          });
          client = candidate;
          lost = false;
          return true;
        }
        await candidate.end();
        return false;
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
      const connection = client;
      client = null;
      held.clear();
      // Closing the session releases the membership and every partition with it.
      await connection?.end().catch(() => {});
    },

    async members() {
      const { rows } = await connected().query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks
          WHERE locktype = 'advisory' AND granted AND objsubid = 2
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND classid::bigint = ${asOid(lockKey)}
            AND objid::bigint IN (
              SELECT ${asOid(objectKey('$1 || slot'))} FROM generate_series(0, $2::int - 1) AS slot)`,
        [memberKey, maxMembers],
      );
      return rows[0]?.n ?? 0;
    },

    async tryAcquirePartition(partition) {
      if (held.has(partition)) return true;
      const locked = await tryLock(connected(), partitionKey(partition));
      if (locked) held.add(partition);
      return locked;
    },

    async releasePartition(partition) {
      if (!held.delete(partition) || !client || lost) return;
      await client.query(`SELECT pg_advisory_unlock(${lockKey}, ${objectKey('$1')})`, [
        partitionKey(partition),
      ]);
    },
  };
};
