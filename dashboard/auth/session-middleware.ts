import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { scopeAllows } from '../../schemas/api/api-keys.ts';
import type { ApiKeyScope } from '../../schemas/config.ts';
import { AppError } from '../../schemas/errors.ts';
import type { DashboardSession } from '../context.ts';
import type { DashboardRuntime } from '../runtime.ts';
import { clearCookie, sessionCookie } from './cookies.ts';
import { csrfToken, sameOriginRequest, validCsrfToken } from './csrf.ts';
import { readSessionToken } from './session-token.ts';

/**
 * The signed-in session of a request, if its cookie is genuine, unexpired, not signed out, and
 * its key still works.
 */
export const currentSession = async (
  rt: DashboardRuntime,
  c: Context,
): Promise<DashboardSession | undefined> => {
  const reading = readSessionToken(rt.keys, getCookie(c, sessionCookie), Math.floor(rt.now() / 1000));
  if (!reading.ok) return undefined;
  if ((await rt.endedSessions.isEnded(reading.claims.sid)) || !(await rt.isLive(reading.claims)))
    return undefined;
  return { claims: reading.claims, csrf: csrfToken(rt.keys, `session:${reading.claims.sid}`) };
};

/** JSON callers (the status poller) get 401; people get the sign-in page, and come back afterwards. */
const wantsJson = (c: Context) => (c.req.header('Accept') ?? '').includes('application/json');

export const requireSession = (rt: DashboardRuntime): MiddlewareHandler =>
  async function dashboardSession(c, next) {
    const session = await currentSession(rt, c);
    if (session) {
      c.set('dashboardSession', session);
      return next();
    }
    const hadCookie = getCookie(c, sessionCookie) !== undefined;
    if (hadCookie) clearCookie(c, sessionCookie, rt.secure(c));
    if (wantsJson(c)) {
      return c.json({ error: { code: 'UNAUTHORIZED', message: 'sign in to the dashboard first' } }, 401);
    }
    const url = new URL(c.req.url);
    const back = c.req.method === 'GET' ? `${url.pathname}${url.search}` : '/dashboard';
    const params = new URLSearchParams({ next: back });
    if (hadCookie) params.set('ended', '1');
    return c.redirect(`/dashboard/sign-in?${params}`, 303);
  };

/**
 * The same scopes as the read API: transcripts (the session viewer) need a reviewer key, the
 * operations pages an ops key; others get 403.
 */
export const requireDashboardScope = (scope: ApiKeyScope): MiddlewareHandler =>
  async function dashboardScope(c, next) {
    const held = c.get('dashboardSession')?.claims.scope;
    if (!held || !scopeAllows(held, scope)) {
      throw new AppError('FORBIDDEN', `this page needs an API key with the ${scope} scope`, { scope });
    }
    await next();
  };

/** Only ops keys see the operations pages (as the ops API); analysts and reviewers get 403. */
export const requireOpsScope = (): MiddlewareHandler => requireDashboardScope('ops');

/** Throws 403 unless a POST comes from our own pages: Origin/Sec-Fetch-Site, then the token. */
export const assertCsrf = async (c: Context, valid: (token: unknown) => boolean) => {
  const origin = {
    origin: c.req.header('Origin'),
    host: c.req.header('Host'),
    secFetchSite: c.req.header('Sec-Fetch-Site'),
  };
  if (!sameOriginRequest(origin))
    throw new AppError('FORBIDDEN', 'cross-site request refused', { csrf: true });
  const body = await c.req.parseBody();
  if (!valid(body._csrf)) throw new AppError('FORBIDDEN', 'missing or invalid CSRF token', { csrf: true });
  return body;
};

/** For signed-in POSTs: the token is bound to the session id. */
export const requireCsrf = (rt: DashboardRuntime): MiddlewareHandler =>
  async function dashboardCsrf(c, next) {
    if (c.req.method !== 'POST') return next();
    const session = c.get('dashboardSession');
    if (!session) throw new AppError('UNAUTHORIZED', 'not signed in');
    await assertCsrf(c, (token) => validCsrfToken(rt.keys, `session:${session.claims.sid}`, token));
    await next();
  };
