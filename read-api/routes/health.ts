import { Hono } from 'hono';
import type { DetailedHealthResponse, HealthStatus } from '../../schemas/api/health.ts';
import { type HealthCheck, runChecks } from '../health/checks.ts';

export type HealthRoutesOptions = {
  checks: () => readonly HealthCheck[];
  version: string;
  environment: string;
  startedAt: number;
  /**
   * How long a probe's result is served again: a dozen queries per probe would otherwise be
   * a dozen queries per call, for anyone polling. Concurrent callers share one probe.
   */
  cacheMs?: number;
  now?: () => number;
};

type Probe = { status: HealthStatus; components: DetailedHealthResponse['components'] };

export const defaultHealthCacheMs = 2000;

/** Liveness: open to all. */
export const healthPath = '/api/v1/health';
/** Every dependency: an ops key or an allowlisted address. */
export const detailedHealthPath = '/api/v1/health/detailed';

export const healthRoutes = (options: HealthRoutesOptions) => {
  const { cacheMs = defaultHealthCacheMs, now = Date.now } = options;
  const app = new Hono();
  let last: { at: number; probe: Promise<Probe> } | null = null;

  const probe = async (): Promise<Probe> => {
    const components = await runChecks(options.checks());
    const values = Object.values(components);
    const status: HealthStatus = values.some((v) => v.required && v.status === 'down')
      ? 'down'
      : values.some((v) => v.status !== 'ok')
        ? 'degraded'
        : 'ok';
    return { status, components };
  };

  const current = (): Promise<Probe> => {
    if (last && now() - last.at < cacheMs) return last.probe;
    const entry = { at: now(), probe: probe() };
    last = entry;
    // A probe that fails outright is not reused.
    entry.probe.catch(() => {
      if (last === entry) last = null;
    });
    return entry.probe;
  };

  // Liveness: the process serves requests. Dependencies are the detailed endpoint's business.
  app.get(healthPath, (c) => c.json({ status: 'ok' as const }));

  app.get(detailedHealthPath, async (c) => {
    const { status, components } = await current();
    const body: DetailedHealthResponse = {
      status,
      version: options.version,
      environment: options.environment,
      uptimeSeconds: Math.round((now() - options.startedAt) / 1000),
      components,
    };
    c.header('Cache-Control', 'no-store');
    return c.json(body, status === 'down' ? 503 : 200);
  });

  return app;
};
