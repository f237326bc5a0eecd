import type pg from 'pg';
import type { ProjectionDefinition } from '../../projections/projection.ts';
import type { RunnerState } from '../../projections/runner/status.ts';
import { projectionStatuses } from '../../projections/runner/status.ts';
import type { HealthCheck } from '../../read-api/health/checks.ts';
import type { EventStore } from '../../write/event-store/port.ts';

/** Read models this far behind are reported degraded. */
const LAG_WARNING_SECONDS = 60;

/**
 * One health component per projection with its lag. Read models going stale degrade the
 * service rather than take it down: they are not `required`.
 */
export const projectionHealthChecks = (
  pool: pg.Pool,
  store: EventStore,
  definitions: readonly ProjectionDefinition[],
  runners: () => ReadonlyMap<string, RunnerState>,
): HealthCheck[] =>
  definitions.map((definition) => ({
    name: `projection:${definition.name}`,
    required: false,
    check: async () => {
      const started = performance.now();
      const [status] = await projectionStatuses(pool, store, [definition], runners());
      const s = status!;
      const failed = s.runner === 'failed';
      const behind = (s.lagSeconds ?? 0) > LAG_WARNING_SECONDS;
      return {
        status: failed ? 'down' : behind || s.generation === null ? 'degraded' : 'ok',
        latencyMs: Math.round((performance.now() - started) * 100) / 100,
        ...(failed && s.lastError
          ? { detail: s.lastError }
          : behind
            ? { detail: `${s.lagSeconds}s behind` }
            : {}),
        info: {
          runner: s.runner,
          generation: s.generation,
          position: s.position,
          lagEvents: s.lagEvents,
          lagSeconds: s.lagSeconds,
          deadLetters: s.deadLetters,
          rebuilding: s.rebuild !== null,
        },
      };
    },
  }));
