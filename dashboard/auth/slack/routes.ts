import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { DashboardRuntime } from '../../runtime.ts';
import { signedInView } from '../../views/sign-in.ts';
import { sessionCookie, setStrictCookie } from '../cookies.ts';
import { sameMac } from '../keys.ts';
import { safeNextPath } from '../next-path.ts';
import { issueSessionToken, newSessionId } from '../session-token.ts';
import { renderSignIn } from '../sign-in-routes.ts';
import {
  newSlackFlow,
  openSlackFlow,
  pkceChallenge,
  sealSlackFlow,
  slackFlowCookie,
  slackFlowSeconds,
} from './flow-cookie.ts';
import { createSlackOidcClient, SlackSignInError } from './oidc-client.ts';
import { slackCallbackPath, slackStartPath } from './settings.ts';

/**
 * Sign in with Slack (OpenID Connect): `GET /dashboard/sign-in/slack` sends the browser to
 * Slack with a fresh state, nonce and PKCE challenge (kept in a signed, Lax cookie); Slack sends
 * it back to the callback, which checks the state, uses it once (a replayed callback is
 * refused in every process), exchanges the code, verifies the id_token and the workspace, and
 * starts a dashboard session for that Slack user (what they see: write/authorization/policy.ts).
 */
export const slackSignInRoutes = (rt: DashboardRuntime) => {
  const app = new Hono();
  const settings = rt.deps.slackSignIn;
  const oidc = settings ? createSlackOidcClient(settings) : null;
  const nowSeconds = () => Math.floor(rt.now() / 1000);
  const flowCookieOptions = (c: Context) => ({
    path: slackStartPath,
    httpOnly: true,
    // Slack's redirect back is a cross-site top-level GET: Lax lets this cookie come along.
    sameSite: 'Lax' as const,
    secure: rt.secure(c),
  });

  app.get(slackStartPath, async (c) => {
    const next = safeNextPath(c.req.query('next'));
    if (!settings || !oidc) return renderSignIn(rt, c, next, { error: rt.page(c).t.slackSignInOff }, 400);
    const flow = newSlackFlow(next, nowSeconds());
    setCookie(c, slackFlowCookie, sealSlackFlow(rt.keys, flow), {
      ...flowCookieOptions(c),
      maxAge: slackFlowSeconds,
    });
    const teamId = await settings.workspaceTeamId().catch(() => undefined);
    return c.redirect(
      oidc.authorizeUrl(
        { state: flow.state, nonce: flow.nonce, challenge: pkceChallenge(flow.verifier) },
        teamId,
      ),
      302,
    );
  });

  app.get(slackCallbackPath, async (c) => {
    const t = rt.page(c).t;
    if (!settings || !oidc) return renderSignIn(rt, c, '/dashboard', { error: t.slackSignInOff }, 400);
    const flow = openSlackFlow(rt.keys, getCookie(c, slackFlowCookie), nowSeconds());
    // The flow cookie is good for one try, whatever happens next.
    deleteCookie(c, slackFlowCookie, flowCookieOptions(c));
    const state = c.req.query('state') ?? '';
    const refuse = (error: string, status: 400 | 401 | 403, log: Record<string, unknown>) => {
      rt.deps.logger.info(log, 'dashboard Slack sign-in refused');
      return renderSignIn(rt, c, flow?.next ?? '/dashboard', { error }, status);
    };
    if (!flow || !state || !sameMac(state, flow.state)) {
      return refuse(t.slackSignInStale, 400, { reason: flow ? 'state mismatch' : 'no sign-in in progress' });
    }
    // One use per state, across processes: a replayed callback (cookie and URL copied) is refused.
    const stateKey = `slack-state:${flow.state}`;
    if (await rt.endedSessions.isEnded(stateKey))
      return refuse(t.slackSignInReplayed, 400, { reason: 'replay' });
    await rt.endedSessions.end(stateKey, flow.exp);
    if (c.req.query('error')) return refuse(t.slackSignInDenied, 400, { reason: c.req.query('error') });
    const code = c.req.query('code') ?? '';
    if (!code) return refuse(t.slackSignInFailed, 400, { reason: 'no code' });

    let user: Awaited<ReturnType<typeof oidc.signIn>>;
    try {
      user = await oidc.signIn(code, flow.verifier, flow.nonce);
    } catch (error) {
      if (!(error instanceof SlackSignInError)) throw error;
      return refuse(t.slackSignInFailed, 401, { reason: error.kind, detail: error.message });
    }
    const workspace = await settings.workspaceTeamId();
    if (!workspace || user.teamId !== workspace) {
      return refuse(t.slackWrongTeam, 403, { reason: 'wrong workspace', teamId: user.teamId });
    }

    const now = nowSeconds();
    const token = issueSessionToken(rt.keys, {
      v: 1,
      sid: newSessionId(),
      sub: `slack:${user.teamId}:${user.userId}`,
      name: user.name,
      // Transcripts are readable, but only of the people the policy lets this person see.
      scope: 'reviewer',
      src: 'slack',
      uid: user.userId,
      tid: user.teamId,
      fp: '',
      iat: now,
      exp: now + rt.sessionTtlSeconds,
    });
    setStrictCookie(c, sessionCookie, token, rt.sessionTtlSeconds, rt.secure(c));
    rt.deps.logger.info({ slackUser: user.userId }, 'dashboard sign-in with Slack');
    return c.html(signedInView(rt.page(c), flow.next));
  });

  return app;
};
