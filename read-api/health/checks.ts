import type { ComponentHealth } from '../../schemas/api/health.ts';

/** A dependency the process reports on; `required` ones being down make the whole status 503. */
export type HealthCheck = {
  name: string;
  required: boolean;
  check: () => Promise<Omit<ComponentHealth, 'required'>>;
};

const timeout = (ms: number) =>
  new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
  );

/** Runs every check at once, each bounded, never throwing. */
export const runChecks = async (
  checks: readonly HealthCheck[],
  timeoutMs = 2000,
): Promise<Record<string, ComponentHealth>> => {
  const results = await Promise.all(
    checks.map(async (c): Promise<[string, ComponentHealth]> => {
      const started = performance.now();
      try {
        const result = await Promise.race([c.check(), timeout(timeoutMs)]);
        return [c.name, { ...result, required: c.required }];
      } catch (error) {
        return [
          c.name,
          {
            status: 'down',
            required: c.required,
            latencyMs: Math.round(performance.now() - started),
            detail: (error as Error).message,
          },
        ];
      }
    }),
  );
  return Object.fromEntries(results);
};
