import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../ops/runtime/free-port.ts';
import { type RunningProcess, runCli, startServe } from '../helpers/process.ts';
import { waitFor } from '../helpers/wait.ts';
import { blockAction, dmChannel, dmEvent, eventCallback } from '../slack/helpers/payloads.ts';
import { interactiveInit, jsonInit, testSigningSecret } from '../slack/helpers/signed.ts';
import { type SlackStub, startSlackStub, stubTeam } from '../stubs/slack-api.ts';
import { attachSlackOidc, type OidcUser, type SlackOidcStub } from '../stubs/slack-oidc.ts';

const client = { clientId: '111.222', clientSecret: `oidc-${randomBytes(8).toString('hex')}` };
const reviewerKey = `reviewer-${randomBytes(12).toString('hex')}`;
const person = (userId: string, name: string, teamId = stubTeam.id): OidcUser => ({
  userId,
  teamId,
  name,
  email: `${userId.toLowerCase()}@example.com`,
});
// UMGR1's team is from TEAMS; UMGR2's from a Slack user group; UREP3 is on no team.
const REP1 = 'UREP1AAA';
const REP2 = 'UREP2BBB';
const REP3 = 'UREP3CCC';
const MGR1 = 'UMGR1AAA';
const MGR2 = 'UMGR2BBB';

/** A browser's cookies, as far as these tests need them. */
class Jar {
  readonly cookies = new Map<string, string>();
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

describe('the manager in the loop: Sign in with Slack, what each sees, reviews (running app, OIDC stub)', () => {
  const schema = `e2e_manager_${randomBytes(4).toString('hex')}`;
  let stub: SlackStub;
  let oidc: SlackOidcStub;
  let app: RunningProcess;
  let db: pg.Pool;
  let dataDir: string;
  let env: Record<string, string>;
  const sessions = new Map<string, string>();

  const rows = async <T extends pg.QueryResultRow>(sql: string, values: unknown[] = []) =>
    (await db.query<T>(sql, values)).rows;
  const get = (jar: Jar, pathname: string, init: RequestInit = {}) =>
    fetch(`${app.baseUrl}${pathname}`, {
      redirect: 'manual',
      ...init,
      headers: { cookie: jar.header(), ...(init.headers as Record<string, string>) },
    });
  const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

  /** Slack's sign-in as a browser does it: to Slack (the stub approves), back to the callback. */
  const startSignIn = async (user: OidcUser) => {
    oidc.signInAs(user);
    const jar = new Jar();
    const start = await get(jar, '/dashboard/sign-in/slack?next=/dashboard');
    expect(start.status).toBe(302);
    jar.take(start);
    const authorize = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    expect(authorize.status).toBe(302);
    const callback = new URL(authorize.headers.get('location')!);
    expect(callback.pathname).toBe('/dashboard/sign-in/slack/callback');
    return { jar, callback };
  };
  const signIn = async (user: OidcUser) => {
    const { jar, callback } = await startSignIn(user);
    const done = await get(jar, `${callback.pathname}${callback.search}`);
    expect(done.status).toBe(200);
    jar.take(done);
    expect(await done.text()).toContain('http-equiv="refresh"');
    expect(jar.cookies.has('salesai_session')).toBe(true);
    return jar;
  };

  beforeAll(async () => {
    stub = await startSlackStub();
    oidc = await attachSlackOidc(stub, client);
    stub.setUserGroup('S0TEAM2', [REP2]);
    db = new pg.Pool({ connectionString: inject('postgresUrl'), max: 2 });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'salesai-manager-'));
    const port = await freePort();
    env = {
      PORT: String(port),
      DATABASE_URL: inject('postgresUrl'),
      DATABASE_SCHEMA: schema,
      DATA_DIR: dataDir,
      SECRET_KEY: randomBytes(32).toString('hex'),
      SLACK_BOT_TOKEN: 'xoxb-e2e-token',
      SLACK_SIGNING_SECRET: testSigningSecret,
      SLACK_API_URL: stub.apiUrl,
      USE_MOCK_LLM: 'true',
      MANAGER_USER_IDS: `${MGR1},${MGR2}`,
      TEAMS: `${MGR1}:${REP1}`,
      TEAM_USERGROUPS: `${MGR2}:S0TEAM2`,
      SLACK_CLIENT_ID: client.clientId,
      SLACK_CLIENT_SECRET: client.clientSecret,
      DASHBOARD_URL: `http://127.0.0.1:${port}/dashboard`,
      SLACK_OIDC_URL: oidc.oidcUrl,
      API_KEYS: `e2e:reviewer:${reviewerKey}`,
    };
    app = await startServe(env);
    // Each rep has a coaching session with an insight.
    for (const rep of [REP1, REP2, REP3]) {
      const res = await fetch(
        `${app.baseUrl}/api/v1/slack/events`,
        jsonInit(
          eventCallback(
            dmEvent({ user: rep, channel: dmChannel(), text: '価格が高いと言われました。どう返せば？' }),
          ),
        ),
      );
      expect(res.status).toBe(200);
    }
    await waitFor(
      async () =>
        (
          await rows<{ n: number }>(
            `SELECT count(DISTINCT user_id)::int AS n FROM ${schema}.conversation_insights WHERE user_id = ANY($1)`,
            [[REP1, REP2, REP3]],
          ).catch(() => [{ n: 0 }])
        )[0]!.n === 3,
      90_000,
      200,
    );
    for (const r of await rows<{ user_id: string; session_id: string }>(
      `SELECT user_id, session_id FROM ${schema}.dialogue_sessions`,
    ))
      sessions.set(r.user_id, r.session_id);
  }, 180_000);

  afterAll(async () => {
    await app?.stop('SIGTERM');
    await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await db?.end();
    await stub?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('offers Sign in with Slack on the sign-in page, in Japanese by default and in English', async () => {
    const ja = await (await get(new Jar(), '/dashboard/sign-in')).text();
    expect(ja).toContain('Slack でサインイン');
    const en = await (await get(new Jar(), '/dashboard/sign-in?lang=en')).text();
    expect(en).toContain('Sign in with Slack');
  });

  it('refuses a callback whose state does not match, a replayed callback, another workspace and a forged token', async () => {
    // State mismatch: the callback of another browser's sign-in.
    const mine = await startSignIn(person(REP1, 'Rep One'));
    const theirs = await startSignIn(person(REP1, 'Rep One'));
    const crossed = await get(mine.jar, `${theirs.callback.pathname}${theirs.callback.search}`);
    expect(crossed.status).toBe(400);
    expect(crossed.headers.getSetCookie().join()).not.toContain('salesai_session=e');

    // Replay: the same cookie and URL again after a good sign-in.
    const once = await startSignIn(person(REP1, 'Rep One'));
    const flowCookie = once.jar.header();
    const first = await get(once.jar, `${once.callback.pathname}${once.callback.search}`);
    expect(first.status).toBe(200);
    const again = await fetch(`${app.baseUrl}${once.callback.pathname}${once.callback.search}`, {
      redirect: 'manual',
      headers: { cookie: flowCookie },
    });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('すでに使われています');

    // Another workspace.
    const foreign = await startSignIn(person(REP1, 'Rep One', 'T0OTHER'));
    const refused = await get(foreign.jar, `${foreign.callback.pathname}${foreign.callback.search}`);
    expect(refused.status).toBe(403);

    // A token signed by someone else, and one for another nonce.
    for (const change of [{ foreignKey: true }, { claims: { nonce: 'not-the-nonce-of-this-sign-in' } }]) {
      const forged = await startSignIn(person(REP1, 'Rep One'));
      oidc.tamperNextToken(change);
      const res = await get(forged.jar, `${forged.callback.pathname}${forged.callback.search}`);
      expect(res.status).toBe(401);
      expect(res.headers.getSetCookie().some((c) => c.startsWith('salesai_session=e'))).toBe(false);
    }
  });

  it('a rep sees only themself: their page and sessions, nobody else’s; sign-out ends the session', async () => {
    const jar = await signIn(person(REP1, 'Rep One'));
    const home = await get(jar, '/dashboard');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe(`/dashboard/reps/${REP1}`);
    expect((await get(jar, `/dashboard/reps/${REP1}`)).status).toBe(200);
    expect((await get(jar, `/dashboard/reps/${REP2}`)).status).toBe(404);
    const own = await get(jar, `/dashboard/sessions/${sessions.get(REP1)}`);
    expect(own.status).toBe(200);
    const page = await own.text();
    expect(page).toContain('価格が高いと言われました');
    expect(page).not.toContain('data-testid="review-form"');
    expect((await get(jar, `/dashboard/sessions/${sessions.get(REP2)}`)).status).toBe(404);
    expect((await get(jar, '/dashboard/projections')).status).toBe(403);

    const copy = jar.header();
    const out = await get(jar, '/dashboard/sign-out', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfOf(page) }),
    });
    expect(out.status).toBe(303);
    const after = await fetch(`${app.baseUrl}/dashboard/reps/${REP1}`, {
      redirect: 'manual',
      headers: { cookie: copy },
    });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toContain('/dashboard/sign-in');
  });

  it('a manager sees their team only, reviews a session on the dashboard; the rep is told and the API shows it', async () => {
    const jar = await signIn(person(MGR1, 'Manager One'));
    const team = await get(jar, '/dashboard');
    expect(team.status).toBe(200);
    const overview = await team.text();
    expect(overview).toContain(REP1);
    expect(overview).not.toContain(REP2);
    expect(overview).not.toContain(REP3);
    expect((await get(jar, `/dashboard/reps/${REP2}`)).status).toBe(404);

    const sessionId = sessions.get(REP1)!;
    const page = await (await get(jar, `/dashboard/sessions/${sessionId}`)).text();
    expect(page).toContain('data-testid="review-form"');
    const reviewId = /name="reviewId" value="([^"]+)"/.exec(page)![1]!;
    const form = {
      reviewId,
      score_closing: '2',
      score_hearing: '',
      comment: '次の一歩を早めに提案しましょう',
    };
    const withoutToken = await get(jar, `/dashboard/sessions/${sessionId}/reviews`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    expect(withoutToken.status).toBe(403);
    for (let i = 0; i < 2; i++) {
      // Sent twice (a double click): one review, one DM.
      const sent = await get(jar, `/dashboard/sessions/${sessionId}/reviews`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...form, _csrf: csrfOf(page) }),
      });
      expect(sent.status).toBe(303);
    }
    const [dm] = await stub.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === REP1 && String(c.body.text).includes(MGR1),
    );
    expect(String(dm!.body.text)).toContain('次の一歩を早めに提案しましょう');
    expect(String(dm!.body.text)).toContain('クロージング 2');
    // The rep's Home tab shows the review once the read model has it.
    await stub.waitFor(
      'views.publish',
      (c) =>
        c.body.user_id === REP1 &&
        JSON.stringify(c.body.view).includes('マネージャーのレビュー') &&
        JSON.stringify(c.body.view).includes('クロージング 2'),
      { timeoutMs: 30_000 },
    );

    const api = (p: string) =>
      fetch(`${app.baseUrl}${p}`, { headers: { authorization: `Bearer ${reviewerKey}` } });
    await waitFor(async () => {
      const body = (await (await api(`/api/v1/sessions/${sessionId}/reviews`)).json()) as {
        reviews: unknown[];
      };
      return body.reviews.length === 1;
    }, 30_000);
    const reviews = (await (await api(`/api/v1/sessions/${sessionId}/reviews`)).json()) as {
      reviews: { comment: string; current: boolean; scores: Record<string, number> }[];
      effective: Record<string, { score: number; source: string }>;
    };
    expect(reviews.reviews[0]).toMatchObject({
      comment: '次の一歩を早めに提案しましょう',
      current: true,
      scores: { closing: 2 },
    });
    expect(reviews.effective.closing).toEqual({ score: 2, source: 'manager' });
    expect(reviews.effective.hearing?.source).toBe('ai');
    const calibration = (await (await api(`/api/v1/teams/${MGR1}/calibration`)).json()) as {
      team: string[];
      rubrics: { reviews: number; overall: { count: number } }[];
    };
    expect(calibration.team).toEqual([REP1]);
    expect(calibration.rubrics[0]).toMatchObject({ reviews: 1, overall: { count: 1 } });
    expect((await api(`/api/v1/teams/${REP1}/calibration`)).status).toBe(404);
    expect(
      stub
        .calls('chat.postMessage')
        .filter((c) => c.body.channel === REP1 && String(c.body.text).includes(MGR1)),
    ).toHaveLength(1);
    // The team page shows the agreement.
    expect(await (await get(jar, '/dashboard')).text()).toContain('data-testid="calibration"');
  });

  it('a Slack user group is a team: its manager reviews from App Home through the modal; another rep is refused', async () => {
    const jar = await signIn(person(MGR2, 'Manager Two'));
    expect((await get(jar, `/dashboard/reps/${REP2}`)).status).toBe(200);
    expect((await get(jar, `/dashboard/reps/${REP1}`)).status).toBe(404);

    const post = (payload: unknown) =>
      fetch(`${app.baseUrl}/api/v1/slack/interactive`, interactiveInit(payload));
    await fetch(
      `${app.baseUrl}/api/v1/slack/events`,
      jsonInit(eventCallback({ type: 'app_home_opened', user: MGR2, channel: 'D0MGR2', tab: 'home' })),
    );
    const [home] = await stub.waitFor(
      'views.publish',
      (c) => c.body.user_id === MGR2 && JSON.stringify(c.body.view).includes('review_session'),
    );
    const sessionId = sessions.get(REP2)!;
    expect(JSON.stringify(home!.body.view)).toContain(sessionId);
    expect(JSON.stringify(home!.body.view)).not.toContain(sessions.get(REP3)!);

    expect(
      (await post(blockAction({ user: MGR2, actionId: 'review_session', value: sessionId }))).status,
    ).toBe(200);
    const [open] = await stub.waitFor('views.open', (c) =>
      JSON.stringify(c.body.view).includes('manager_review_modal'),
    );
    const modal = open!.body.view as { private_metadata: string };
    const submission = (viewId: string, metadata: string) => ({
      type: 'view_submission',
      team: { id: stubTeam.id, domain: 'stub' },
      user: { id: MGR2, username: 'mgr2', team_id: stubTeam.id },
      view: {
        id: viewId,
        callback_id: 'manager_review_modal',
        private_metadata: metadata,
        state: {
          values: {
            'review_score:proposal': { score: { type: 'static_select', selected_option: { value: '4' } } },
            review_comment: { comment: { type: 'plain_text_input', value: 'Good structure.' } },
          },
        },
      },
    });
    const viewId = `V${randomBytes(4).toString('hex').toUpperCase()}`;
    for (let i = 0; i < 2; i++)
      expect((await post(submission(viewId, modal.private_metadata))).status).toBe(200);
    const [dm] = await stub.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === REP2 && String(c.body.text).includes(MGR2),
    );
    expect(String(dm!.body.text)).toContain('Good structure.');
    await waitFor(
      async () =>
        (await rows(`SELECT 1 FROM ${schema}.manager_reviews WHERE session_id = $1`, [sessionId])).length ===
        1,
      30_000,
    );
    expect(
      stub
        .calls('chat.postMessage')
        .filter((c) => c.body.channel === REP2 && String(c.body.text).includes(MGR2)),
    ).toHaveLength(1);

    // The same modal aimed at a rep of another team is refused with an error in the modal.
    const other = JSON.stringify({ sessionId: sessions.get(REP1), language: 'ja' });
    const refused = await post(submission(`V${randomBytes(4).toString('hex').toUpperCase()}`, other));
    expect(refused.status).toBe(200);
    expect(JSON.stringify(await refused.json())).toContain('errors');
    expect(
      (
        await rows(`SELECT 1 FROM ${schema}.manager_reviews WHERE reviewer_id = $1 AND user_id = $2`, [
          MGR2,
          REP1,
        ])
      ).length,
    ).toBe(0);
  });

  it('forget-user shreds the review comments about the rep; the scores stay', async () => {
    const sessionId = sessions.get(REP1)!;
    const forgot = await runCli(['forget-user', REP1, '--yes'], env);
    expect(forgot.code).toBe(0);
    expect(forgot.stdout).toContain('manager_reviews');
    const api = () =>
      fetch(`${app.baseUrl}/api/v1/sessions/${sessionId}/reviews`, {
        headers: { authorization: `Bearer ${reviewerKey}` },
      });
    await waitFor(async () => {
      const body = (await (await api()).json()) as { reviews: { comment: string }[] };
      return body.reviews[0]?.comment === '[forgotten]';
    }, 30_000);
    const body = (await (await api()).json()) as {
      reviews: { scores: Record<string, number> }[];
      effective: Record<string, { score: number }>;
    };
    expect(body.reviews[0]!.scores).toEqual({ closing: 2 });
    expect(body.effective.closing).toMatchObject({ score: 2 });
  }, 60_000);
});
