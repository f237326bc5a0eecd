import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { type RunningProcess, startServe } from '../helpers/process.ts';
import { dmEvent, eventCallback, mentionEvent, userId } from '../slack/helpers/payloads.ts';
import {
  formInit,
  interactiveInit,
  jsonInit,
  signedInit,
  testSigningSecret,
} from '../slack/helpers/signed.ts';
import { type SlackStub, startSlackStub } from '../stubs/slack-api.ts';

/** mulberry32: the same seed makes the same payloads. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const oddValues: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  '',
  ' ',
  '🙂',
  '価格',
  'x'.repeat(50_000),
  [],
  {},
  [1, 'a'],
  { a: { b: [] } },
  'U',
  'D1',
  '1.2',
  'NaN',
];

/**
 * Generated and mutated Slack payloads, correctly signed and not: every answer is a 2xx or a
 * clear 4xx, never a 5xx, and the process keeps serving.
 */
describe('Slack edge under generated and mutated payloads', () => {
  let db: TestDatabase;
  let stub: SlackStub;
  let app: RunningProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    stub = await startSlackStub();
    app = await startServe({
      DATABASE_URL: db.url,
      DATABASE_SCHEMA: db.schema,
      SLACK_BOT_TOKEN: 'xoxb-fuzz-token',
      SLACK_SIGNING_SECRET: testSigningSecret,
      SLACK_API_URL: stub.apiUrl,
      USE_MOCK_LLM: 'true',
    });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await stub?.close();
    await db?.drop();
  });

  it('answers 1,000 payloads without a 5xx or a crash', async () => {
    const random = prng(5);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    /** Replaces, removes or adds a field somewhere in an object, a few times. */
    const mutate = (value: unknown, depth = 0): unknown => {
      if (value === null || typeof value !== 'object' || depth > 4)
        return random() < 0.3 ? pick(oddValues) : value;
      const copy: Record<string, unknown> = Array.isArray(value)
        ? { ...value }
        : { ...(value as Record<string, unknown>) };
      const keys = Object.keys(copy);
      const roll = random();
      if (roll < 0.25 && keys.length) delete copy[pick(keys)];
      else if (roll < 0.5) copy[randomBytes(3).toString('hex')] = pick(oddValues);
      else if (keys.length) {
        const k = pick(keys);
        copy[k] = mutate(copy[k], depth + 1);
      }
      return Array.isArray(value) ? Object.values(copy) : copy;
    };
    const payloads: (() => [string, RequestInit])[] = [
      () => [
        'events',
        jsonInit(mutate(eventCallback(dmEvent({ user: userId(), text: '価格が高いと言われた' } as never)))),
      ],
      () => [
        'events',
        jsonInit(
          mutate(
            eventCallback(mentionEvent({ user: userId(), text: '<@UBOT0STUB> 提案書の構成は？' } as never)),
          ),
        ),
      ],
      () => [
        'events',
        jsonInit(mutate({ type: 'url_verification', challenge: randomBytes(8).toString('hex'), token: 'x' })),
      ],
      () => [
        'events',
        jsonInit(
          mutate({ type: pick(['event_callback', 'app_rate_limited', 'nope', '']), event: mutate({}) }),
        ),
      ],
      () => [
        'events',
        signedInit(
          randomBytes(Math.floor(random() * 300)).toString(pick(['hex', 'base64', 'latin1'])),
          'application/json',
        ),
      ],
      () => [
        'commands',
        formInit(
          Object.fromEntries(
            Object.entries({
              command: pick(['/ai_help', '/ai_knowledge', '/ai_history', '/nope', '']),
              text: String(pick(oddValues)),
              user_id: pick([userId(), '', 'bad']),
              team_id: 'T0STUB',
              channel_id: 'D0FUZZ',
              response_url: stub.responseUrl(randomBytes(4).toString('hex')),
              trigger_id: '1.2.3',
            }).filter(() => random() > 0.15),
          ),
        ),
      ],
      () => [
        'interactive',
        interactiveInit(
          mutate({
            type: pick(['block_actions', 'view_submission', 'shortcut', 'nope']),
            user: { id: userId() },
            team: { id: 'T0STUB' },
            actions: [
              {
                action_id: pick(['feedback_up', 'feedback_down', 'end_session', 'show_document', 'x']),
                value: String(pick(oddValues)),
              },
            ],
          }),
        ),
      ],
      () => ['interactive', formInit({ payload: randomBytes(20).toString('hex') })],
      () => [
        'events',
        jsonInit(eventCallback(dmEvent({ user: userId(), text: 'hi' } as never)), {
          signature: `v0=${randomBytes(32).toString('hex')}`,
        }),
      ],
      () => [
        'events',
        jsonInit(eventCallback(dmEvent({ user: userId(), text: 'hi' } as never)), {
          timestamp: Math.floor(Date.now() / 1000) - 600,
        }),
      ],
      () => [pick(['events', 'commands', 'interactive']), jsonInit({}, { unsigned: true })],
    ];
    const statuses = new Map<number, number>();
    const fives: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const [path, init] = pick(payloads)();
      const res = await fetch(`${app.baseUrl}/api/v1/slack/${path}`, init);
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) fives.push(`${path} ${String(init.body).slice(0, 200)} → ${res.status}`);
    }
    console.log(`slack fuzz: 1000 payloads, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(fives).toEqual([]);
    expect(app.child.exitCode).toBeNull();
    expect((await fetch(`${app.baseUrl}/api/v1/health`)).status).toBe(200);
  }, 300_000);
});
