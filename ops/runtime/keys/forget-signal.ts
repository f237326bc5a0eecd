import pg from 'pg';
import type { Logger } from '../../../schemas/logger.ts';

/**
 * forget-user runs in its own process; the serving processes keep things of the person in
 * memory (the agent's session cache, the Home tab Slack shows). A Postgres notification tells
 * them at once; the payload names the schema, so deployments sharing a database keep apart.
 */
const channel = 'salesai_user_forgotten';

export const announceForgotten = async (db: Pick<pg.Pool, 'query'>, userId: string): Promise<void> => {
  await db.query(
    `SELECT pg_notify($1, json_build_object('schema', current_schema(), 'userId', $2::text)::text)`,
    [channel, userId],
  );
};

export type ForgottenListener = { stop: () => Promise<void> };

/** Calls `onForgotten` for every user forgotten in `schema`; reconnects when the connection drops. */
export const listenForForgotten = (options: {
  config: pg.ClientConfig;
  schema: string;
  logger: Logger;
  onForgotten: (userId: string) => Promise<void>;
  retryMs?: number;
}): ForgottenListener => {
  const { logger } = options;
  let client: pg.Client | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (stopped) return;
    const next = new pg.Client(options.config);
    next.on('error', (error) => {
      logger.warn({ err: error }, 'forget-user notifications lost; reconnecting');
      void next.end().catch(() => {});
      if (client === next) client = null;
      if (!stopped) timer = setTimeout(() => void connect(), options.retryMs ?? 1000);
    });
    next.on('notification', (message) => {
      if (message.channel !== channel || !message.payload) return;
      let payload: { schema?: unknown; userId?: unknown };
      try {
        payload = JSON.parse(message.payload) as typeof payload;
      } catch {
        return;
      }
      if (payload.schema !== options.schema || typeof payload.userId !== 'string') return;
      const userId = payload.userId;
      options
        .onForgotten(userId)
        .catch((error: unknown) =>
          logger.warn({ err: error, userId }, 'could not clear what this process keeps of a forgotten user'),
        );
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      if (stopped) await next.end();
      else client = next;
    } catch (error) {
      logger.warn({ err: error }, 'forget-user notifications unavailable; retrying');
      await next.end().catch(() => {});
      if (!stopped) timer = setTimeout(() => void connect(), options.retryMs ?? 1000);
    }
  };
  void connect();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await client?.end().catch(() => {});
      client = null;
    },
  };
};
