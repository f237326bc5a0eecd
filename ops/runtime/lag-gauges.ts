import type pg from 'pg';
import type { ProjectionDefinition } from '../../projections/projection.ts';
import { projectionStatuses } from '../../projections/runner/status.ts';
import type { Metrics } from '../../read-api/metrics/metrics.ts';
import type { Logger } from '../../schemas/logger.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { readAgentBacklog } from './agent/backlog.ts';

/**
 * Keeps the lag gauges of /metrics current from the database, in the process that serves them:
 * the projections' positions and lags and the agent's backlog and lag, wherever (which process,
 * which thread) the projectors and the agent run.
 */
export const startLagGauges = (
  pool: pg.Pool,
  store: EventStore,
  definitions: readonly ProjectionDefinition[],
  metrics: Pick<Metrics, 'projectionLag' | 'projectionPosition' | 'agentBacklog' | 'agentLag'>,
  logger: Logger,
  intervalMs = 5000,
) => {
  let running = false;
  const refresh = async () => {
    if (running) return;
    running = true;
    try {
      for (const status of await projectionStatuses(pool, store, definitions)) {
        metrics.projectionLag.set({ projection: status.name }, status.lagEvents ?? 0);
        metrics.projectionPosition.set({ projection: status.name }, status.eventsProcessed);
      }
      const backlog = await readAgentBacklog(pool, store);
      metrics.agentBacklog.set(backlog.events ?? 0);
      metrics.agentLag.set(backlog.lagSeconds);
    } catch (error) {
      logger.debug({ err: error }, 'lag gauges: refresh failed');
    } finally {
      running = false;
    }
  };
  void refresh();
  const timer = setInterval(() => void refresh(), intervalMs);
  timer.unref();
  return { refresh, stop: () => clearInterval(timer) };
};
