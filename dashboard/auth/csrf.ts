import { type DashboardKeys, mac, sameMac } from './keys.ts';

/**
 * CSRF tokens are MACs of what they are bound to (`session:<sid>` for a signed-in user, or
 * `sign-in:<nonce>` of the sign-in cookie), so no server-side store is needed and a token
 * lifted from one session is worthless in another. They back up SameSite=Strict cookies,
 * which already keep cross-site POSTs from carrying the session.
 */
export const csrfToken = (keys: DashboardKeys, binding: string): string => mac(keys.csrf, binding);

export const validCsrfToken = (keys: DashboardKeys, binding: string, presented: unknown): boolean =>
  typeof presented === 'string' && presented.length > 0 && sameMac(presented, csrfToken(keys, binding));

export type OriginHeaders = {
  origin: string | undefined;
  host: string | undefined;
  secFetchSite: string | undefined;
};

/**
 * A second, independent check: browsers say where a POST comes from. `Sec-Fetch-Site` must be
 * same-origin (or none: typed/bookmarked), and an `Origin` must name this host. The scheme of
 * the Origin is not compared, because TLS often ends at a proxy in front of us. An opaque
 * `Origin: null` (what a page under `Referrer-Policy: no-referrer` sends) passes only when
 * `Sec-Fetch-Site` vouches for it. Requests without either header (old browsers, curl) rely on
 * the token alone.
 */
export const sameOriginRequest = ({ origin, host, secFetchSite }: OriginHeaders): boolean => {
  if (secFetchSite !== undefined && secFetchSite !== 'same-origin' && secFetchSite !== 'none') return false;
  if (origin === undefined) return true;
  if (origin === 'null') return secFetchSite === 'same-origin';
  if (host === undefined) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
};
