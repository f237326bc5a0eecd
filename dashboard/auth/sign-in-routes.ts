import { randomBytes } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { apiKeyPrefix } from '../../read-api/auth/key-format.ts';
import { AppError, isAppError } from '../../schemas/errors.ts';
import type { DashboardRuntime } from '../runtime.ts';
import { signInView } from '../views/sign-in.ts';
import { clearCookie, sessionCookie, setStrictCookie, signInCookie } from './cookies.ts';
import { csrfToken, validCsrfToken } from './csrf.ts';
import { keyFingerprint } from './keys.ts';
import { safeNextPath } from './next-path.ts';
import { assertCsrf, currentSession } from './session-middleware.ts';
import { issueSessionToken, newSessionId } from './session-token.ts';

/** The sign-in form lives this long; its nonce cookie binds the form's CSRF token to this browser. */
const formSeconds = 60 * 60;

/** Set by read-api's clientIp middleware (the socket peer, or what a trusted local proxy saw). */
const clientOf = (c: Context) => (c.get('clientIp' as never) as string | undefined) ?? 'unknown';

/** The sign-in page (API key form, and Sign in with Slack when configured) with a fresh form nonce. */
export const renderSignIn = (
  rt: DashboardRuntime,
  c: Context,
  next: string,
  message: { error?: string; info?: string },
  status: 200 | 400 | 401 | 403 | 429,
) => {
  const nonce = randomBytes(16).toString('base64url');
  setStrictCookie(c, signInCookie, nonce, formSeconds, rt.secure(c));
  const view = signInView(rt.page(c), {
    csrf: csrfToken(rt.keys, `sign-in:${nonce}`),
    next,
    slack: !!rt.deps.slackSignIn,
    ...message,
  });
  return c.html(view, status);
};

export const signInRoutes = (rt: DashboardRuntime) => {
  const app = new Hono();

  const form = (
    c: Context,
    next: string,
    message: { error?: string; info?: string },
    status: 200 | 401 | 403 | 429,
  ) => renderSignIn(rt, c, next, message, status);

  app.get('/dashboard/sign-in', async (c) => {
    const next = safeNextPath(c.req.query('next'));
    if (await currentSession(rt, c)) return c.redirect(next, 303);
    const t = rt.page(c).t;
    const info =
      c.req.query('signed-out') !== undefined
        ? t.signedOut
        : c.req.query('ended') !== undefined
          ? t.sessionEnded
          : undefined;
    return form(c, next, info ? { info } : {}, 200);
  });

  app.post('/dashboard/sign-in', async (c) => {
    const t = rt.page(c).t;
    const nonce = getCookie(c, signInCookie);
    let body: Record<string, unknown>;
    try {
      body = await assertCsrf(c, (token) => !!nonce && validCsrfToken(rt.keys, `sign-in:${nonce}`, token));
    } catch (error) {
      if (!isAppError(error, 'FORBIDDEN')) throw error;
      return form(c, '/dashboard', { error: t.signInStale }, 403);
    }
    const next = safeNextPath(body.next);
    const client = clientOf(c);
    const wait = rt.signInAttempts.blockedFor(client);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return form(c, next, { error: t.signInTooMany(wait) }, 429);
    }
    const key = typeof body.apiKey === 'string' ? body.apiKey.trim() : '';
    const principal = key ? await rt.deps.verifyApiKey(key) : undefined;
    if (!principal) {
      rt.signInAttempts.fail(client);
      rt.deps.logger.info({ client }, 'dashboard sign-in refused');
      return form(c, next, { error: t.signInInvalid }, 401);
    }
    const now = Math.floor(rt.now() / 1000);
    const prefix = principal.source === 'database' ? apiKeyPrefix(key) : undefined;
    if (principal.source === 'database' && !prefix)
      throw new AppError('INTERNAL', 'a CLI key without prefix');
    const token = issueSessionToken(rt.keys, {
      v: 1,
      sid: newSessionId(),
      sub: principal.id,
      name: principal.name,
      scope: principal.scope,
      src: principal.source,
      ...(prefix ? { kp: prefix } : {}),
      fp: keyFingerprint(rt.keys, key),
      iat: now,
      exp: now + rt.sessionTtlSeconds,
    });
    setStrictCookie(c, sessionCookie, token, rt.sessionTtlSeconds, rt.secure(c));
    clearCookie(c, signInCookie, rt.secure(c));
    rt.deps.logger.info({ key: principal.name, scope: principal.scope }, 'dashboard sign-in');
    return c.redirect(next, 303);
  });

  // Signing out is a POST with the session's CSRF token: a link elsewhere cannot sign anyone out.
  // It ends the session on the server too: a copy of the cookie signs no one in afterwards.
  app.post('/dashboard/sign-out', async (c) => {
    const session = await currentSession(rt, c);
    if (session) {
      await assertCsrf(c, (token) => validCsrfToken(rt.keys, `session:${session.claims.sid}`, token));
      await rt.endedSessions.end(session.claims.sid, session.claims.exp);
      rt.deps.logger.info({ key: session.claims.name }, 'dashboard sign-out');
    }
    clearCookie(c, sessionCookie, rt.secure(c));
    return c.redirect('/dashboard/sign-in?signed-out=1', 303);
  });

  return app;
};
