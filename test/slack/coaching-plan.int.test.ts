import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialogueProjection } from '../../projections/dialogue/projection.ts';
import { growthProjection } from '../../projections/growth/projection.ts';
import { insightsProjection } from '../../projections/insights/projection.ts';
import { skillTargetsProjection } from '../../projections/targets/projection.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { setTargetView } from '../../slack-edge/blocks/action-ids.ts';
import { createSlackEdge, type SlackEdge } from '../../slack-edge/edge.ts';
import { slackSettings } from '../../slack-edge/settings.ts';
import { staticTeamDirectory } from '../../write/authorization/team-directory.ts';
import { digestPreferenceStreamId } from '../../write/digest/preference.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { targetsStreamId } from '../../write/targets/handle.ts';
import { scoredSession, targetSet } from '../helpers/coaching-events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { setupTestProjection } from '../helpers/projection.ts';
import { waitFor } from '../helpers/wait.ts';
import { type SlackStub, startSlackStub, stubTeam } from '../stubs/slack-api.ts';
import { blockAction, commandFields, dmEvent, eventCallback } from './helpers/payloads.ts';
import { formInit, interactiveInit, jsonInit, testSigningSecret } from './helpers/signed.ts';

const day = (d: number) => new Date(Date.UTC(2026, 10, d, 3)).toISOString();

describe('targets, team growth and the digest switch in Slack (signed requests, Web API stub)', () => {
  let stub: SlackStub;
  let db: TestDatabase;
  let store: EventStore;
  let edge: SlackEdge;
  const post = (path: string, init: RequestInit) => edge.routes!.app.request(`http://localhost${path}`, init);
  const streamTypes = async (streamId: string) =>
    (await store.readStream(streamId, { fromRevision: 0n, maxCount: 100 })).map((r) => r.type);
  const lastHome = (user: string) =>
    JSON.stringify(
      stub
        .calls('views.publish')
        .filter((c) => c.body.user_id === user)
        .at(-1)?.body.view,
    );

  beforeAll(async () => {
    stub = await startSlackStub();
    db = await createTestDatabase();
    store = createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });
    for (const p of [dialogueProjection, insightsProjection]) await setupTestProjection(db, p);
    const growth = await setupTestProjection(db, growthProjection);
    const targets = await setupTestProjection(db, skillTargetsProjection);
    await growth.apply([1, 2, 3].map((n) => scoredSession('UREPAKI', n, day(20 + n), n + 1)));
    await growth.apply([1, 2, 3].map((n) => scoredSession('UREPBEN', n, day(20 + n), 4)));
    await targets.apply([targetSet('UREPAKI', 'hearing', 4.5, '2027-01-31')]);
    edge = await createSlackEdge({
      settings: slackSettings({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: testSigningSecret,
        SLACK_APP_TOKEN: undefined,
        SLACK_API_URL: stub.apiUrl,
      }),
      pool: db.pool,
      store,
      codec: plainCodec,
      personal: null,
      logger: silentLogger,
      errors: { inc: () => {} },
      teams: staticTeamDirectory({ managerUserIds: ['UMGRMIO'], teams: { UMGRMIO: ['UREPAKI', 'UREPBEN'] } }),
      inactivityMs: 30 * 60_000,
      receive: true,
      present: false,
      refreshHome: false,
      clock: () => new Date('2026-12-01T00:00:00Z'),
    });
  });
  afterAll(async () => {
    await edge.stop();
    await store.close();
    await stub.close();
    await db.drop();
  });
  beforeEach(() => {
    stub.reset();
    stub.setUser('UREPAKI', { profile: { display_name: 'Aki' } });
    stub.setUser('UREPBEN', { profile: { display_name: '', real_name: 'Ben Ito' } });
  });

  it("a manager's Home ranks the team by growth with display names, looked up once per person", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await post(
        '/api/v1/slack/events',
        jsonInit(eventCallback({ type: 'app_home_opened', user: 'UMGRMIO', tab: 'home', channel: 'D0MGR' })),
      );
      expect(res.status).toBe(200);
      await stub.waitFor('views.publish', undefined, { count: i + 1 });
    }
    const home = lastHome('UMGRMIO');
    expect(home).toContain('1. *Aki*：伸び +1.00');
    expect(home).toContain('2. *Ben Ito*：伸び ±0.00');
    expect(home).toContain('open_set_target');
    // Two Home publishes: users.info once per rep (and once for the manager's language), then the cache.
    for (const user of ['UREPAKI', 'UREPBEN', 'UMGRMIO']) {
      expect(stub.calls('users.info').filter((c) => c.body.user === user)).toHaveLength(1);
    }
  });

  it("a rep's Home shows their target with progress and the digest switch", async () => {
    await post(
      '/api/v1/slack/events',
      jsonInit(eventCallback({ type: 'app_home_opened', user: 'UREPAKI', tab: 'home', channel: 'D0AKI' })),
    );
    await stub.waitFor('views.publish');
    const home = lastHome('UREPAKI');
    expect(home).toContain('*ヒアリング*：現在');
    expect(home).toContain('目標 4.5');
    expect(home).toContain('順調');
    expect(home).toContain('toggle_weekly_digest');
    expect(home).not.toContain('open_set_target');
  });

  it('/ai_history shows the rep their targets with progress', async () => {
    const res = await post(
      '/api/v1/slack/commands',
      formInit(
        commandFields({ command: '/ai_history', user: 'UREPAKI', responseUrl: stub.responseUrl('h1') }),
      ),
    );
    const inline = await res.text();
    const answer = inline.includes('blocks')
      ? inline
      : JSON.stringify((await stub.waitFor('response_url'))[0]!.body);
    expect(answer).toContain('目標 4.5');
    expect(answer).toContain('残り 61 日');
  });

  it('the Set target modal lists the team; a submission sets the target, one outside the team is refused', async () => {
    await post(
      '/api/v1/slack/interactive',
      interactiveInit(blockAction({ user: 'UMGRMIO', actionId: 'open_set_target', value: 'team' })),
    );
    const [opened] = await stub.waitFor('views.open');
    expect(JSON.stringify(opened!.body.view)).toContain('Ben Ito');
    const submission = (rep: string, level: string, viewId: string) => ({
      type: 'view_submission',
      team: { id: stubTeam.id },
      user: { id: 'UMGRMIO', team_id: stubTeam.id },
      api_app_id: 'A0STUB',
      token: 'legacy',
      view: {
        id: viewId,
        callback_id: setTargetView.callbackId,
        private_metadata: 'ja',
        state: {
          values: {
            [setTargetView.repBlock]: { [setTargetView.repAction]: { selected_option: { value: rep } } },
            [setTargetView.skillBlock]: {
              [setTargetView.skillAction]: { selected_option: { value: 'closing' } },
            },
            [setTargetView.levelBlock]: { [setTargetView.levelAction]: { value: level } },
            [setTargetView.dueBlock]: { [setTargetView.dueAction]: { selected_date: '2027-03-31' } },
          },
        },
      },
    });
    const refused = await post(
      '/api/v1/slack/interactive',
      interactiveInit(submission('UOUTSIDER', '4', 'V1')),
    );
    expect(await refused.json()).toMatchObject({
      response_action: 'errors',
      errors: { [setTargetView.repBlock]: expect.any(String) },
    });
    const badLevel = await post(
      '/api/v1/slack/interactive',
      interactiveInit(submission('UREPBEN', '4.25', 'V2')),
    );
    expect(await badLevel.json()).toMatchObject({ response_action: 'errors' });
    const ok = await post('/api/v1/slack/interactive', interactiveInit(submission('UREPBEN', '4.5', 'V3')));
    expect(ok.status).toBe(200);
    expect(await waitFor(async () => (await streamTypes(targetsStreamId('UREPBEN'))).length === 1)).toBe(
      true,
    );
    expect(await streamTypes(targetsStreamId('UOUTSIDER'))).toEqual([]);
  });

  it('"digest off" in a DM turns the digest off (not a question for the coach); the Home button turns it on', async () => {
    const res = await post(
      '/api/v1/slack/events',
      jsonInit(eventCallback(dmEvent({ user: 'UREPBEN', channel: 'D0BEN', text: 'digest off' }))),
    );
    expect(res.status).toBe(200);
    await stub.waitFor('chat.postMessage', (c) => String(c.body.text).includes('停止'));
    expect(await streamTypes(digestPreferenceStreamId('UREPBEN'))).toEqual(['DigestPreferenceChanged']);
    const { rows } = await db.pool.query(
      "SELECT count(*)::int AS n FROM es_events WHERE type = 'MessageReceived'",
    );
    expect(rows[0].n).toBe(0);
    await post(
      '/api/v1/slack/interactive',
      interactiveInit(blockAction({ user: 'UREPBEN', actionId: 'toggle_weekly_digest', value: 'on' })),
    );
    expect(
      await waitFor(async () => (await streamTypes(digestPreferenceStreamId('UREPBEN'))).length === 2),
    ).toBe(true);
  });
});
