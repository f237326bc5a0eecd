import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../schemas/logger.ts';
import { createSlackEdge, type SlackEdgeOptions } from '../../slack-edge/edge.ts';
import { slackSettings } from '../../slack-edge/settings.ts';
import { staticTeamDirectory } from '../../write/authorization/team-directory.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait.ts';
import { type SlackStub, startSlackStub, stubTeam } from '../stubs/slack-api.ts';
import { jsonInit, testSigningSecret } from './helpers/signed.ts';

describe('the Slack edge by configuration', () => {
  let stub: SlackStub;
  let db: TestDatabase;
  let base: Omit<SlackEdgeOptions, 'settings'>;

  beforeAll(async () => {
    stub = await startSlackStub();
    db = await createTestDatabase();
    const store = createPostgresEventStore({
      pool: db.pool,
      schema: db.schema,
      listenConfig: db.listenConfig,
    });
    base = {
      pool: db.pool,
      store,
      codec: plainCodec,
      personal: null,
      logger: silentLogger,
      errors: { inc: () => {} },
      teams: staticTeamDirectory({ managerUserIds: [], teams: {} }),
      inactivityMs: 30 * 60_000,
      receive: true,
      present: true,
      refreshHome: true,
    };
  });
  afterAll(async () => {
    await base.store.close();
    await stub.close();
    await db.drop();
  });

  const env = (
    vars: Partial<Record<'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN', string>>,
  ) =>
    slackSettings({
      SLACK_BOT_TOKEN: vars.SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET: vars.SLACK_SIGNING_SECRET,
      SLACK_APP_TOKEN: vars.SLACK_APP_TOKEN,
      SLACK_API_URL: stub.apiUrl,
    });

  it('without a token or a signing secret: endpoints answer 503 saying why, health says not configured', async () => {
    for (const vars of [{}, { SLACK_BOT_TOKEN: 'xoxb-1' }] as const) {
      const edge = await createSlackEdge({ ...base, settings: env(vars) });
      expect(edge.presenter).toBeNull();
      const res = await edge.routes!.app.request(
        'http://localhost/api/v1/slack/events',
        jsonInit({ type: 'url_verification', challenge: 'x' }),
      );
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        error: { code: 'UNAVAILABLE', message: expect.stringContaining('SLACK_') },
      });
      expect(await edge.healthCheck.check()).toMatchObject({ status: 'ok', detail: 'not configured' });
      await edge.stop();
    }
  });

  it('configured for HTTP: serves the endpoints, knows the bot from auth.test, reports ok', async () => {
    const edge = await createSlackEdge({
      ...base,
      settings: env({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: testSigningSecret }),
    });
    try {
      expect(edge.presenter).not.toBeNull();
      const res = await edge.routes!.app.request(
        'http://localhost/api/v1/slack/events',
        jsonInit({ type: 'url_verification', challenge: 'x' }),
      );
      expect(await res.json()).toEqual({ challenge: 'x' });
      const health = await waitFor(async () => {
        const h = await edge.healthCheck.check();
        return h.status === 'ok' ? h : null;
      });
      expect(health?.info).toMatchObject({
        mode: 'http',
        botUserId: stubTeam.botUserId,
        teamId: stubTeam.id,
      });
      expect(edge.routes!.specs.map((s) => s.path)).toEqual([
        '/api/v1/slack/events',
        '/api/v1/slack/commands',
        '/api/v1/slack/interactive',
      ]);
    } finally {
      await edge.stop();
    }
  });

  it('a refused token shows as down in health', async () => {
    stub.always('auth.test', { body: { ok: false, error: 'token_revoked' } });
    const edge = await createSlackEdge({
      ...base,
      settings: env({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: testSigningSecret }),
    });
    try {
      const health = await waitFor(async () => {
        const h = await edge.healthCheck.check();
        return h.status === 'down' ? h : null;
      });
      expect(health?.detail).toContain('token_revoked');
    } finally {
      await edge.stop();
      stub.reset();
    }
  });

  it('with SLACK_APP_TOKEN: Socket Mode (the HTTP endpoints say so), degraded until connected, stops cleanly', async () => {
    stub.always('apps.connections.open', { body: { ok: false, error: 'invalid_auth' } });
    const edge = await createSlackEdge({
      ...base,
      settings: env({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A1-1-abc' }),
    });
    try {
      const res = await edge.routes!.app.request(
        'http://localhost/api/v1/slack/events',
        jsonInit({ type: 'url_verification', challenge: 'x' }),
      );
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain('Socket Mode');
      await stub.waitFor('apps.connections.open');
      const health = await edge.healthCheck.check();
      expect(health.info).toMatchObject({ mode: 'socket', connected: false });
      expect(health.status).not.toBe('ok');
    } finally {
      await edge.stop();
      stub.reset();
    }
  });
});
