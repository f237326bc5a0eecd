import type pg from 'pg';

export type DigestClaim = {
  state: 'claimed' | 'posted' | 'recorded' | 'skipped';
  channelId: string | null;
  messageTs: string | null;
  claimedAt: Date;
};

/**
 * The claims of weekly digests (table weekly_digest_claims), shared by every process through
 * Postgres. `take` gives the caller a rep's digest of a week when nobody holds it: a fresh claim,
 * or one whose holder let its lease run out (it died) and that is not finished. The caller then
 * owns it until `leaseMs` has passed.
 */
export type DigestClaims = {
  /** The claim, or why not: `done` (sent or skipped already), `busy` (another process holds it). */
  take(userId: string, week: string, owner: string, leaseMs: number): Promise<DigestClaim | 'done' | 'busy'>;
  posted(userId: string, week: string, owner: string, channelId: string, messageTs: string): Promise<void>;
  finish(userId: string, week: string, owner: string, state: 'recorded' | 'skipped'): Promise<void>;
  /** Gives a claim back (a failure before anything was posted): it can be taken again at once. */
  release(userId: string, week: string, owner: string): Promise<void>;
};

type Row = {
  state: DigestClaim['state'];
  channel_id: string | null;
  message_ts: string | null;
  claimed_at: Date;
};

export const createDigestClaims = (pool: pg.Pool): DigestClaims => ({
  take: async (userId, week, owner, leaseMs) => {
    const { rows } = await pool.query<Row>(
      `INSERT INTO weekly_digest_claims AS c (user_id, week, state, owner, lease_until)
       VALUES ($1, $2, 'claimed', $3, now() + make_interval(secs => $4::float8 / 1000))
       ON CONFLICT (user_id, week) DO UPDATE
         SET owner = excluded.owner, lease_until = excluded.lease_until, updated_at = now()
       WHERE c.state IN ('claimed', 'posted') AND c.lease_until < now()
       RETURNING state, channel_id, message_ts, claimed_at`,
      [userId, week, owner, leaseMs],
    );
    const row = rows[0];
    if (row)
      return {
        state: row.state,
        channelId: row.channel_id,
        messageTs: row.message_ts,
        claimedAt: row.claimed_at,
      };
    const held = await pool.query<Pick<Row, 'state'>>(
      'SELECT state FROM weekly_digest_claims WHERE user_id = $1 AND week = $2',
      [userId, week],
    );
    const state = held.rows[0]?.state;
    return state === 'recorded' || state === 'skipped' ? 'done' : 'busy';
  },
  posted: async (userId, week, owner, channelId, messageTs) => {
    await pool.query(
      `UPDATE weekly_digest_claims SET state = 'posted', channel_id = $4, message_ts = $5, updated_at = now()
        WHERE user_id = $1 AND week = $2 AND owner = $3 AND state = 'claimed'`,
      [userId, week, owner, channelId, messageTs],
    );
  },
  finish: async (userId, week, owner, state) => {
    await pool.query(
      `UPDATE weekly_digest_claims SET state = $4, updated_at = now()
        WHERE user_id = $1 AND week = $2 AND owner = $3`,
      [userId, week, owner, state],
    );
  },
  release: async (userId, week, owner) => {
    await pool.query(
      `UPDATE weekly_digest_claims SET lease_until = now() - interval '1 second', updated_at = now()
        WHERE user_id = $1 AND week = $2 AND owner = $3 AND state = 'claimed'`,
      [userId, week, owner],
    );
  },
});
