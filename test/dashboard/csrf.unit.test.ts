import { describe, expect, it } from 'vitest';
import { csrfToken, sameOriginRequest, validCsrfToken } from '../../dashboard/auth/csrf.ts';
import { deriveDashboardKeys } from '../../dashboard/auth/keys.ts';
import { safeNextPath } from '../../dashboard/auth/next-path.ts';

const keys = deriveDashboardKeys('k'.repeat(64));

describe('CSRF tokens', () => {
  it('are bound to the session they were made for', () => {
    const token = csrfToken(keys, 'session:abc');
    expect(validCsrfToken(keys, 'session:abc', token)).toBe(true);
    expect(validCsrfToken(keys, 'session:xyz', token)).toBe(false);
    expect(validCsrfToken(deriveDashboardKeys('o'.repeat(64)), 'session:abc', token)).toBe(false);
  });

  it('refuse a missing, empty or non-string token', () => {
    for (const presented of [undefined, null, '', 42, ['x'], { a: 1 }]) {
      expect(validCsrfToken(keys, 'session:abc', presented)).toBe(false);
    }
  });
});

describe('same-origin check', () => {
  const base = { origin: undefined, host: 'dash.example', secFetchSite: undefined };
  it('accepts same-origin browsers and clients that send neither header', () => {
    expect(sameOriginRequest(base)).toBe(true);
    expect(sameOriginRequest({ ...base, origin: 'https://dash.example', secFetchSite: 'same-origin' })).toBe(
      true,
    );
    // TLS may end at a proxy: the scheme is not compared.
    expect(sameOriginRequest({ ...base, origin: 'http://dash.example' })).toBe(true);
    // A no-referrer page sends an opaque origin; the browser's Sec-Fetch-Site still vouches for it.
    expect(sameOriginRequest({ ...base, origin: 'null', secFetchSite: 'same-origin' })).toBe(true);
  });

  it('refuses cross-site and opaque origins', () => {
    expect(sameOriginRequest({ ...base, secFetchSite: 'cross-site' })).toBe(false);
    expect(sameOriginRequest({ ...base, secFetchSite: 'same-site' })).toBe(false);
    expect(sameOriginRequest({ ...base, origin: 'https://evil.example' })).toBe(false);
    expect(sameOriginRequest({ ...base, origin: 'null' })).toBe(false);
    expect(sameOriginRequest({ ...base, origin: 'null', secFetchSite: 'none' })).toBe(false);
    expect(sameOriginRequest({ ...base, origin: 'https://dash.example', host: undefined })).toBe(false);
  });
});

describe('where to go after signing in', () => {
  it('keeps dashboard paths', () => {
    expect(safeNextPath('/dashboard')).toBe('/dashboard');
    expect(safeNextPath('/dashboard/reps/U1?asOf=2026-01-01')).toBe('/dashboard/reps/U1?asOf=2026-01-01');
  });

  it('never leaves the dashboard or loops to sign-in', () => {
    for (const value of [
      '//evil.example',
      'https://evil.example/dashboard',
      '/dashboardx',
      '/dashboard/../api/v1/projections',
      '/dashboard/%2e%2e/api',
      '/dashboard\\evil',
      '/dashboard/sign-in',
      '/api/v1/health',
      undefined,
      42,
    ]) {
      expect(safeNextPath(value), String(value)).toBe('/dashboard');
    }
  });
});
