import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';

/** Dashboard cookies are sent to /dashboard only: the JSON API never sees them. */
export const cookiePath = '/dashboard';
export const sessionCookie = 'salesai_session';
export const signInCookie = 'salesai_sign_in';
export const langCookie = 'salesai_lang';

/**
 * Secure when the request came over HTTPS (directly, or as a proxy says: a forged header can
 * only make the cookie stricter) or when configured. Not on plain http://127.0.0.1, where
 * browsers would drop it.
 */
export const isSecureRequest = (c: Context, forced: boolean): boolean =>
  forced ||
  new URL(c.req.url).protocol === 'https:' ||
  c.req.header('X-Forwarded-Proto')?.split(',')[0]?.trim() === 'https';

export const setStrictCookie = (
  c: Context,
  name: string,
  value: string,
  maxAgeSeconds: number,
  secure: boolean,
) =>
  setCookie(c, name, value, {
    path: cookiePath,
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    maxAge: maxAgeSeconds,
  });

export const clearCookie = (c: Context, name: string, secure: boolean) =>
  deleteCookie(c, name, { path: cookiePath, httpOnly: true, sameSite: 'Strict', secure });
