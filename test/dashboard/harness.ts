import { randomBytes } from 'node:crypto';
import { seedDemo } from '../../dashboard/demo/seed.ts';
import { dashboardRoutes } from '../../dashboard/routes.ts';
import { seedKnowledge } from '../../ops/runtime/agent/seed-knowledge.ts';
import { starterKnowledgeDir } from '../../ops/runtime/agent.ts';
import { projections } from '../../projections/registry.ts';
import { findGeneration } from '../../projections/runner/generations.ts';
import { ProjectionRunner } from '../../projections/runner/runner.ts';
import { createApiApp } from '../../read-api/app.ts';
import { apiKeyPepper } from '../../read-api/auth/hashing.ts';
import { createApiKeyVerifier } from '../../read-api/auth/verifier.ts';
import type { Env } from '../../schemas/config.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { createDataKeys } from '../../write/crypto/data-keys.ts';
import { deriveRingKey, keyRing } from '../../write/crypto/key-ring.ts';
import { personalText } from '../../write/crypto/personal-text.ts';
import { postgresDataKeys } from '../../write/crypto/postgres-data-keys.ts';
import { encryptingCodec } from '../../write/event-store/encrypting-codec.ts';
import { comparePositions, type EventStore } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { readKnowledgeDirectory } from '../../write/knowledge/read-file.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait.ts';

export const analystSecret = `analyst-${randomBytes(12).toString('hex')}`;
export const opsSecret = `ops-${randomBytes(12).toString('hex')}`;
export const reviewerSecret = `reviewer-${randomBytes(12).toString('hex')}`;

/**
 * The dashboard inside the real API app (its middleware in front), over a fresh schema of the
 * test Postgres with the demo data seeded through the event store and projected by the real
 * runners. The clock can be moved forward (`advance`) to expire sessions and caches.
 */
export const startDashboardHarness = async () => {
  const db: TestDatabase = await createTestDatabase({ max: 16 });
  const store: EventStore = createPostgresEventStore({
    pool: db.pool,
    schema: db.schema,
    listenConfig: db.listenConfig,
    pollIntervalMs: 50,
  });
  const secretKey = randomBytes(32).toString('hex');
  // Encryption at rest as `serve` has it: events sealed by the codec, read tables too.
  const dataKeys = createDataKeys(postgresDataKeys(db.pool), keyRing([deriveRingKey(secretKey)]));
  const codec = encryptingCodec(dataKeys);
  await seedKnowledge({ store, codec, actorId: 'test' }, starterKnowledgeDir);
  const titles = new Map(
    (await readKnowledgeDirectory(starterKnowledgeDir)).sources.map((s) => [s.documentId, s.title]),
  );
  const demo = await seedDemo({ store, codec }, titles);

  const runners = new Map(
    projections.map((definition) => {
      const runner = new ProjectionRunner({
        definition,
        pool: db.pool,
        lockConfig: db.listenConfig,
        store,
        codec,
        logger: silentLogger,
        pollMs: 100,
      });
      runner.start();
      return [definition.name, runner] as const;
    }),
  );
  const caughtUp = () =>
    waitFor(async () => {
      const head = await store.headPosition();
      for (const definition of projections) {
        const live = await findGeneration(db.pool, definition.name, 'live');
        if (!live || comparePositions(live.position, head) < 0) return false;
      }
      return true;
    }, 60_000);
  await caughtUp();

  let shift = 0;
  const now = () => Date.now() + shift;
  const envKeys: Env['API_KEYS'] = [
    { name: 'analyst', scope: 'analyst', secret: analystSecret },
    { name: 'ops', scope: 'ops', secret: opsSecret },
    { name: 'reviewer', scope: 'reviewer', secret: reviewerSecret },
  ];
  const pepper = apiKeyPepper(secretKey);
  const verifier = createApiKeyVerifier({ db: db.pool, pepper, envKeys, logger: silentLogger, now });
  const app = createApiApp({
    logger: silentLogger,
    version: 'test',
    environment: 'test',
    startedAt: Date.now(),
    healthChecks: () => [],
    routes: [
      dashboardRoutes({
        pool: db.pool,
        store,
        codec,
        projections,
        runners: () => runners,
        personal: personalText(dataKeys),
        verifyApiKey: verifier.verify,
        secretKey,
        envKeys,
        opsGuard: async (_c, next) => next(),
        logger: silentLogger,
        now,
      }),
    ],
    security: { verifyApiKey: verifier.verify, socketAddress: () => '127.0.0.1' },
  });

  return {
    db,
    store,
    codec,
    personal: personalText(dataKeys),
    app,
    demo,
    pepper,
    caughtUp,
    advance: (ms: number) => {
      shift += ms;
    },
    stop: async () => {
      await Promise.all([...runners.values()].map((r) => r.stop()));
      await store.close();
      await db.drop();
    },
  };
};

export type DashboardHarness = Awaited<ReturnType<typeof startDashboardHarness>>;

/** A browser, as far as the dashboard can tell: a cookie jar, Host and Origin headers, form posts. */
export const browser = (app: DashboardHarness['app']) => {
  const jar = new Map<string, string>();
  const remember = (response: Response) => {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...value] = pair!.split('=');
      const text = value.join('=');
      if (/max-age=0/i.test(header) || text === '') jar.delete(name!.trim());
      else jar.set(name!.trim(), text);
    }
    return response;
  };
  const headers = (extra: Record<string, string> = {}) => ({
    Host: 'localhost',
    ...(jar.size ? { Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
    ...extra,
  });
  const get = async (path: string, extra?: Record<string, string>) =>
    remember(await app.request(`http://localhost${path}`, { headers: headers(extra) }));
  const post = async (path: string, form: Record<string, string>, extra?: Record<string, string>) =>
    remember(
      await app.request(`http://localhost${path}`, {
        method: 'POST',
        headers: headers({
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: 'http://localhost',
          ...extra,
        }),
        body: new URLSearchParams(form).toString(),
      }),
    );
  /** A multipart form post, as a browser sends a file upload. */
  const postForm = async (path: string, form: FormData) =>
    remember(
      await app.request(`http://localhost${path}`, {
        method: 'POST',
        headers: headers({ Origin: 'http://localhost' }),
        body: form,
      }),
    );
  /** The hidden `_csrf` of the first form on a page. */
  const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const signIn = async (key: string) => {
    const form = await (await get('/dashboard/sign-in')).text();
    return post('/dashboard/sign-in', { _csrf: csrfOf(form), next: '/dashboard', apiKey: key });
  };
  return { jar, get, post, postForm, csrfOf, signIn };
};
