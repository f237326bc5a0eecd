import { randomBytes } from 'node:crypto';
import { dashboardRoutes } from '../../dashboard/routes.ts';
import { seedDemo } from '../../ops/demo/seed.ts';
import { seedKnowledge } from '../../ops/runtime/agent/seed-knowledge.ts';
import { starterKnowledgeDir } from '../../ops/runtime/agent.ts';
import { projections } from '../../projections/registry.ts';
import { apiKeyPepper } from '../../read-api/auth/hashing.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { createDataKeys } from '../../write/crypto/data-keys.ts';
import { deriveRingKey, keyRing } from '../../write/crypto/key-ring.ts';
import { personalText } from '../../write/crypto/personal-text.ts';
import { postgresDataKeys } from '../../write/crypto/postgres-data-keys.ts';
import { encryptingCodec } from '../../write/event-store/encrypting-codec.ts';
import { readKnowledgeDirectory } from '../../write/knowledge/read-file.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { startTestApi, testEnvKeys } from '../helpers/test-api.ts';

export {
  analystKey as analystSecret,
  opsKey as opsSecret,
  reviewerKey as reviewerSecret,
} from '../helpers/test-api.ts';

/**
 * The dashboard inside the real API app (its middleware in front), over a fresh schema of the
 * test Postgres with the demo data seeded through the command path and projected by the real
 * runners. The clock can be moved forward (`advance`) to expire sessions and caches.
 */
export const startDashboardHarness = async () => {
  const db: TestDatabase = await createTestDatabase({ max: 16 });
  const secretKey = randomBytes(32).toString('hex');
  // Encryption at rest as `serve` has it: events sealed by the codec, read tables too.
  const dataKeys = createDataKeys(postgresDataKeys(db.pool), keyRing([deriveRingKey(secretKey)]));
  const codec = encryptingCodec(dataKeys);
  let shift = 0;
  const now = () => Date.now() + shift;
  const api = await startTestApi(db, {
    codec,
    secretKey,
    now,
    rateLimits: 'seed',
    routes: ({ store, projectors, verifyApiKey }) => [
      dashboardRoutes({
        pool: db.pool,
        store,
        codec,
        projections,
        runners: () => projectors.runners,
        personal: personalText(dataKeys),
        verifyApiKey,
        secretKey,
        envKeys: testEnvKeys,
        opsGuard: async (_c, next) => next(),
        logger: silentLogger,
        now,
        coachingPlan: {
          displayNames: async (ids) => new Map(ids.map((id) => [id, `Rep ${id.slice(-3)}`])),
          window: 8,
        },
      }),
    ],
  });
  const { store, app } = api;
  await seedKnowledge({ store, codec, actorId: 'test' }, starterKnowledgeDir);
  const titles = new Map(
    (await readKnowledgeDirectory(starterKnowledgeDir)).sources.map((s) => [s.documentId, s.title]),
  );
  const demo = await seedDemo({ store, codec }, titles);
  const caughtUp = () => api.caughtUp();
  await caughtUp();

  return {
    db,
    store,
    codec,
    personal: personalText(dataKeys),
    app,
    demo,
    pepper: apiKeyPepper(secretKey),
    caughtUp,
    advance: (ms: number) => {
      shift += ms;
    },
    stop: async () => {
      await api.close();
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
