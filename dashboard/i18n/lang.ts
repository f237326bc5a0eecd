import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { cookiePath, langCookie } from '../auth/cookies.ts';
import '../context.ts';

export const langs = ['ja', 'en'] as const;
export type Lang = (typeof langs)[number];

const asLang = (value: string | undefined): Lang | undefined =>
  langs.find((l) => l === value?.trim().toLowerCase());

/** `?lang=` wins and is remembered in a cookie; then the cookie; Japanese by default (the users are in Japan). */
export const pickLang = (query: string | undefined, cookie: string | undefined): Lang =>
  asLang(query) ?? asLang(cookie) ?? 'ja';

export const languageMiddleware = (): MiddlewareHandler =>
  async function dashboardLanguage(c, next) {
    const requested = asLang(c.req.query('lang'));
    if (requested) {
      // A preference, not a credential: Lax so that a link from elsewhere keeps it.
      setCookie(c, langCookie, requested, {
        path: cookiePath,
        httpOnly: true,
        sameSite: 'Lax',
        maxAge: 365 * 24 * 3600,
      });
    }
    c.set('dashboardLang', pickLang(requested, getCookie(c, langCookie)));
    await next();
  };
