import type pg from 'pg';
import type { SafeCache } from '../../projections/cache/safe.ts';
import type { ProjectionDefinition } from '../../projections/projection.ts';
import { projections as allProjections } from '../../projections/registry.ts';
import { ProjectionRunner } from '../../projections/runner/runner.ts';
import { projectionStatuses } from '../../projections/runner/status.ts';
import type { Logger } from '../../schemas/logger.ts';
import type { EventCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';

export type ProjectorMetrics = {
  projectionPosition: { set(labels: { projection: string }, value: number): void };
  projectionLag: { set(labels: { projection: string }, value: number): void };
  deadLetters: { inc(labels: { source: string }, value?: number): void };
};

export type Projectors = {
  runners: ReadonlyMap<string, ProjectionRunner>;
  stop: () => Promise<void>;
};

export type ProjectorOptions = {
  pool: pg.Pool;
  lockConfig: pg.ClientConfig;
  store: EventStore;
  codec: EventCodec;
  logger: Logger;
  /** Only bumped: scopes whose cached reads a commit made stale. */
  cache: Pick<SafeCache, 'bump'>;
  metrics?: ProjectorMetrics;
  definitions?: readonly ProjectionDefinition[];
  onError?: 'skip' | 'stop';
  batchSize?: number;
};

/**
 * Starts a runner per projection. Caches are invalidated after each commit (the batch's scopes)
 * and after a rebuilt generation goes live (every user's scope, or the knowledge scope).
 */
export const startProjectors = (options: ProjectorOptions): Projectors => {
  const { pool, cache, logger, metrics } = options;
  const definitions = options.definitions ?? allProjections;
  const runners = new Map<string, ProjectionRunner>();
  for (const definition of definitions) {
    const runner = new ProjectionRunner({
      definition,
      pool,
      lockConfig: options.lockConfig,
      store: options.store,
      codec: options.codec,
      logger: logger.child({ projection: definition.name }),
      ...(options.onError ? { onError: options.onError } : {}),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      hooks: {
        afterCommit: async (name, outcome, _generation, building) => {
          if (outcome.deadLettered > 0)
            metrics?.deadLetters.inc({ source: `projection:${name}` }, outcome.deadLettered);
          if (building) return;
          await Promise.all([...outcome.scopes].map((scope) => cache.bump(scope)));
        },
        afterSwap: async (name) => {
          if (name === 'knowledge') return cache.bump('knowledge');
          const { rows } = await pool.query<{ user_id: string }>(
            'SELECT user_id FROM dialogue_sessions UNION SELECT user_id FROM user_growth',
          );
          await Promise.all(rows.map((r) => cache.bump(`user:${r.user_id}`)));
        },
      },
    });
    runner.start();
    runners.set(definition.name, runner);
  }

  // Position and lag gauges for Prometheus, refreshed in the background.
  const refresh = async () => {
    if (!metrics) return;
    try {
      for (const status of await projectionStatuses(pool, options.store, definitions, runners)) {
        metrics.projectionLag.set({ projection: status.name }, status.lagEvents ?? 0);
        metrics.projectionPosition.set({ projection: status.name }, status.eventsProcessed);
      }
    } catch (error) {
      logger.debug({ err: error }, 'projection metrics refresh failed');
    }
  };
  const timer = setInterval(() => void refresh(), 5000);
  timer.unref();

  return {
    runners,
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...runners.values()].map((r) => r.stop()));
    },
  };
};
