import type pg from 'pg';
import { AppError } from '../../schemas/errors.ts';

export type EndedSessions = {
  /** Ends a session for every process: its cookie, even a copy of it, no longer signs anyone in. */
  end: (sessionId: string, expiresAtSeconds: number) => Promise<void>;
  isEnded: (sessionId: string) => Promise<boolean>;
};

/**
 * Sessions ended server-side (sign-out), one by one, kept in Postgres until the cookie would
 * have expired anyway; this process also remembers the ones it ended, so they end here at once.
 */
export const createEndedSessions = (db: Pick<pg.Pool, 'query'>, maxRemembered = 10_000): EndedSessions => {
  const local = new Set<string>();
  const unavailable = (error: unknown) =>
    new AppError('UNAVAILABLE', 'dashboard sessions cannot be checked right now', undefined, {
      cause: error,
    });
  return {
    end: async (sessionId, expiresAtSeconds) => {
      local.add(sessionId);
      if (local.size > maxRemembered) local.delete(local.values().next().value as string);
      try {
        await db.query(
          `INSERT INTO dashboard_ended_sessions (session_id, expires_at) VALUES ($1, to_timestamp($2))
           ON CONFLICT (session_id) DO NOTHING`,
          [sessionId, expiresAtSeconds],
        );
        await db.query('DELETE FROM dashboard_ended_sessions WHERE expires_at < now()');
      } catch (error) {
        throw unavailable(error);
      }
    },
    isEnded: async (sessionId) => {
      if (local.has(sessionId)) return true;
      try {
        const { rowCount } = await db.query('SELECT 1 FROM dashboard_ended_sessions WHERE session_id = $1', [
          sessionId,
        ]);
        return (rowCount ?? 0) > 0;
      } catch (error) {
        throw unavailable(error);
      }
    },
  };
};
