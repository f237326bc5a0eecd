import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../ops/runtime/embedded-postgres.ts';
import { postgresReachable } from '../../ops/runtime/postgres.ts';
import { ciStrict } from './ci.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    postgresSource: 'local' | 'embedded';
    redisUrl: string | null;
  }
}

const redisReachable = async (url: string) => {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
};

/**
 * Finds the Postgres and Redis the integration suites use: TEST_DATABASE_URL / TEST_REDIS_URL,
 * else the services on 127.0.0.1. Without a reachable Postgres it starts the embedded one.
 */
export default async function setup(project: TestProject) {
  let stop: (() => Promise<void>) | undefined;
  let postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  let source: 'local' | 'embedded' = 'local';
  if (!(await postgresReachable(postgresUrl))) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'salesai-test-pg-'));
    console.warn(
      `[test setup] no PostgreSQL at ${postgresUrl.replace(/:[^:@/]*@/, ':***@')}; starting the embedded one in ${dir}`,
    );
    const embedded = await startEmbeddedPostgres(path.join(dir, 'pg'), {
      info: () => {},
      warn: (m) => console.warn(m),
    });
    postgresUrl = embedded.url;
    stop = embedded.stop;
    source = 'embedded';
  }
  const redisCandidate = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15';
  const redisUrl = (await redisReachable(redisCandidate)) ? redisCandidate : null;
  if (!redisUrl)
    console.warn(
      `[test setup] NO REDIS at ${redisCandidate}: Redis suites will skip${ciStrict() ? ' (and fail under CI)' : ''}`,
    );

  project.provide('postgresUrl', postgresUrl);
  project.provide('postgresSource', source);
  project.provide('redisUrl', redisUrl);
  return async () => {
    await stop?.();
  };
}
