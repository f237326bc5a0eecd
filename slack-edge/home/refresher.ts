import type pg from 'pg';
import { readGenerations } from '../../projections/runner/generations.ts';
import type { Logger } from '../../schemas/logger.ts';
import type { EventCodec } from '../../write/event-store/codec.ts';
import { comparePositions, type EventStore, type Position } from '../../write/event-store/port.ts';

export type HomeRefresherOptions = {
  store: EventStore;
  codec: EventCodec;
  pool: pg.Pool;
  logger: Logger;
  publish: (userId: string) => Promise<void>;
  /** How long to wait for the read models to include a new insight before publishing anyway. */
  readModelWaitMs?: number;
  pollMs?: number;
  /** After a failure (the database away), the first wait before following the store again; it doubles up to 30 s. */
  retryMs?: number;
};

/** The read models the Home tab shows. */
const homeReadModels = ['growth', 'insights', 'dialogue', 'manager_reviews'];

/** Whether the Home's read models have applied everything up to `position`. */
const readModelsHaveApplied = async (pool: pg.Pool, position: Position): Promise<boolean> => {
  try {
    const live = (await readGenerations(pool)).filter(
      (g) => g.state === 'live' && homeReadModels.includes(g.name),
    );
    return (
      live.length === homeReadModels.length && live.every((g) => comparePositions(g.position, position) >= 0)
    );
  } catch {
    return false;
  }
};

/**
 * Keeps Home tabs current: after each new insight (`InsightDerived`) or manager review
 * (`ManagerReviewGiven`) the rep's Home is published
 * again, once the read models show the insight. It follows the store from the moment it
 * starts (a Home is also published whenever the rep opens it, so nothing is lost while it was
 * down), and several insights of one rep in quick succession publish once.
 */
export const startHomeRefresher = (options: HomeRefresherOptions): { stop: () => Promise<void> } => {
  const controller = new AbortController();
  const waiting = new Map<string, Position>();
  const { logger } = options;

  /** Waits for the read model to show the rep's newest insight (a newer one may arrive meanwhile), then publishes. */
  const refresh = async (userId: string) => {
    for (;;) {
      const position = waiting.get(userId);
      if (!position) return;
      const deadline = Date.now() + (options.readModelWaitMs ?? 10_000);
      while (
        !controller.signal.aborted &&
        Date.now() < deadline &&
        !(await readModelsHaveApplied(options.pool, position))
      ) {
        await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
      }
      if (controller.signal.aborted) return;
      if (waiting.get(userId) === position) {
        waiting.delete(userId);
        break;
      }
    }
    await options.publish(userId);
  };

  let after: Position | undefined;
  const follow = async () => {
    after ??= await options.store.headPosition();
    const subscription = options.store.subscribeToAll({
      after,
      signal: controller.signal,
      types: ['InsightDerived', 'ManagerReviewGiven'],
    });
    for await (const record of subscription) {
      after = record.position;
      if (record.type !== 'InsightDerived' && record.type !== 'ManagerReviewGiven') continue;
      const event = await options.codec.decode(record);
      if (event.type !== 'InsightDerived' && event.type !== 'ManagerReviewGiven') continue;
      const { userId } = event.data;
      const already = waiting.has(userId);
      waiting.set(userId, record.position);
      if (already) continue;
      refresh(userId).catch((error: unknown) =>
        logger.warn({ err: error, userId }, 'slack: could not refresh the Home tab'),
      );
    }
  };

  // A failure (the database restarting, a subscription error) is survived: the refresher waits
  // and follows the store again from the last insight it saw, so none is missed.
  const run = async () => {
    let delay = options.retryMs ?? 1000;
    while (!controller.signal.aborted) {
      try {
        await follow();
        delay = options.retryMs ?? 1000;
      } catch (error) {
        if (controller.signal.aborted) return;
        logger.warn(
          { err: error, retryInMs: delay },
          'slack: the Home refresher lost the store; following it again',
        );
      }
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, delay);
        controller.signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve(undefined);
          },
          { once: true },
        );
      });
      delay = Math.min(delay * 2, 30_000);
    }
  };

  const done = run();
  return {
    stop: async () => {
      controller.abort();
      await done;
    },
  };
};
