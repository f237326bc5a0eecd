import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fire, mutate, oddValues, sendTwiceOn5xx, unhandledErrors } from '../helpers/fuzz.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { createPrng, testSeed } from '../helpers/prng.ts';
import { type RunningProcess, startServe } from '../helpers/process.ts';
import { storedUserMessages } from '../helpers/slack-replies.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  blockAction,
  commandFields,
  dmEvent,
  eventCallback,
  mentionEvent,
  slackTs,
} from '../slack/helpers/payloads.ts';
import {
  formInit,
  interactiveInit,
  jsonInit,
  signedInit,
  testSigningSecret,
} from '../slack/helpers/signed.ts';
import { type SlackStub, startSlackStub } from '../stubs/slack-api.ts';

const payloads = 5000;

type Request = { path: 'events' | 'commands' | 'interactive'; init: RequestInit; kind: string };

/**
 * Generated Slack payloads, each mutated several times, signed correctly or not, against the
 * running process. Every choice comes from one seeded PRNG (the seed is printed). Every answer is
 * a 2xx or a clear 4xx, never a 5xx; a share of the payloads still reaches the listeners (and is
 * recorded and answered); the server logs no unhandled error; and it keeps serving.
 */
describe('Slack edge under generated and mutated payloads', () => {
  const seed = testSeed('slack fuzz');
  const prng = createPrng(seed);
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

  const id = (prefix: string) => `${prefix}${prng.hex(4).toUpperCase()}`;
  const text = () => prng.pick(['価格が高いと言われた', '提案書の構成は？', 'How do I close?', '決裁者は？']);
  /** Several mutations (2–5), or none for the controls that must reach the listeners. */
  const mutated = (value: unknown, control: boolean) =>
    control ? value : mutate(prng, value, prng.int(2, 5));

  const generate = (): Request => {
    const control = prng.chance(0.15);
    const roll = prng.int(0, 11);
    const user = id('U');
    switch (roll) {
      case 0:
      case 1:
      case 2:
        return {
          path: 'events',
          kind: control ? 'dm (control)' : 'dm',
          init: jsonInit(
            mutated(
              eventCallback(dmEvent({ user, channel: id('D'), text: text(), ts: slackTs() }), id('Ev')),
              control,
            ),
          ),
        };
      case 3:
        return {
          path: 'events',
          kind: 'mention',
          init: jsonInit(
            mutated(
              eventCallback(mentionEvent({ user, channel: id('C'), text: text(), ts: slackTs() }), id('Ev')),
              control,
            ),
          ),
        };
      case 4:
        return {
          path: 'events',
          kind: 'url_verification',
          init: jsonInit(mutated({ type: 'url_verification', challenge: prng.hex(8), token: 'x' }, control)),
        };
      case 5:
        return {
          path: 'events',
          kind: 'other event',
          init: jsonInit(
            mutate(
              prng,
              { type: prng.pick(['event_callback', 'app_rate_limited', 'nope', '']), event: {} },
              2,
            ),
          ),
        };
      case 6:
        return {
          path: prng.pick(['events', 'commands', 'interactive'] as const),
          kind: 'garbage body',
          init: signedInit(
            prng.bytes(prng.int(0, 300)).toString(prng.pick(['hex', 'base64', 'latin1'] as const)),
            prng.pick(['application/json', 'application/x-www-form-urlencoded', 'text/plain']),
          ),
        };
      case 7: {
        const fields = commandFields({
          command: prng.pick(['/ai_help', '/ai_knowledge', '/ai_history', '/nope', '']),
          text: String(prng.pick(oddValues)),
          user,
          responseUrl: stub.responseUrl(prng.hex(4)),
        });
        const changed = control ? fields : mutate(prng, fields, prng.int(2, 5));
        // A form is flat: a mutated value is sent as its text, a replaced form as no fields.
        const kept = Object.fromEntries(
          Object.entries(changed !== null && typeof changed === 'object' ? changed : {}).map(([k, v]) => [
            k,
            typeof v === 'string' ? v : JSON.stringify(v),
          ]),
        );
        return { path: 'commands', kind: 'command', init: formInit(kept as Record<string, string>) };
      }
      case 8:
        return {
          path: 'interactive',
          kind: 'interactive',
          init: interactiveInit(
            mutated(
              blockAction({
                user,
                actionId: prng.pick(['feedback_up', 'feedback_down', 'end_session', 'show_document', 'x']),
                value: String(prng.pick(oddValues)),
                responseUrl: stub.responseUrl(prng.hex(4)),
              }),
              control,
            ),
          ),
        };
      case 9:
        return {
          path: 'events',
          kind: 'bad signature',
          init: jsonInit(eventCallback(dmEvent({ user, channel: id('D'), text: 'hi' }), id('Ev')), {
            signature: `v0=${prng.hex(32)}`,
          }),
        };
      case 10:
        return {
          path: 'events',
          kind: 'stale',
          init: jsonInit(eventCallback(dmEvent({ user, channel: id('D'), text: 'hi' }), id('Ev')), {
            timestamp: Math.floor(Date.now() / 1000) - prng.int(301, 100_000),
          }),
        };
      default:
        return {
          path: prng.pick(['events', 'commands', 'interactive'] as const),
          kind: 'unsigned',
          init: jsonInit({}, { unsigned: true }),
        };
    }
  };

  it(`answers ${payloads.toLocaleString('en')} mutated payloads with 2xx or a clear 4xx; a share reaches the listeners`, async () => {
    const requests = Array.from({ length: payloads }, generate);
    const fives: string[] = [];
    const byKind = new Map<string, Map<number, number>>();
    let transient = 0;
    const statuses = await fire(requests, 6, async (request) => {
      const res = await sendTwiceOn5xx(() =>
        fetch(`${app.baseUrl}/api/v1/slack/${request.path}`, request.init),
      );
      const kind = byKind.get(request.kind) ?? new Map<number, number>();
      kind.set(res.status, (kind.get(res.status) ?? 0) + 1);
      byKind.set(request.kind, kind);
      if (res.transient) transient++;
      if (res.repeated)
        fives.push(`${request.path} ${String(request.init.body).slice(0, 200)} → ${res.status}`);
      return res.status;
    });
    const share = (status: number) => (statuses.get(status) ?? 0) / payloads;
    console.log(
      `slack fuzz (seed ${seed}): ${payloads} payloads, statuses ${JSON.stringify(Object.fromEntries(statuses))} ` +
        `(${transient} transient 5xx answered on a second try); ` +
        `by kind ${JSON.stringify(Object.fromEntries([...byKind].map(([k, v]) => [k, Object.fromEntries(v)])))}`,
    );
    expect(fives).toEqual([]);
    // The mix: many get through to the listeners, many are refused for their signature, some
    // for their shape. All 401s (or all 400s) would mean the generator tests nothing.
    expect(share(200)).toBeGreaterThan(0.1);
    expect(share(401)).toBeGreaterThan(0.1);
    expect(share(400)).toBeGreaterThan(0.02);
    // Mutated DMs get through too, not only the controls.
    expect(byKind.get('dm')?.get(200) ?? 0).toBeGreaterThan(0);

    // What reached the listeners was recorded, and the agent answered it.
    const controls = requests.filter((r) => r.kind === 'dm (control)').length;
    const stored = await waitFor(async () => {
      const messages = await storedUserMessages(db.pool);
      return messages.length >= controls ? messages : null;
    }, 60_000);
    expect(stored!.length).toBeGreaterThanOrEqual(controls);
    await stub.waitFor('chat.update', undefined, { count: controls, timeoutMs: 120_000 });

    expect(app.child.exitCode).toBeNull();
    expect((await fetch(`${app.baseUrl}/api/v1/health`)).status).toBe(200);
    expect(unhandledErrors(app.output())).toEqual([]);
  }, 300_000);
});
