import { describe, expect, it } from 'vitest';
import { deriveDashboardKeys, keyFingerprint } from '../../dashboard/auth/keys.ts';
import {
  issueSessionToken,
  newSessionId,
  readSessionToken,
  type SessionClaims,
} from '../../dashboard/auth/session-token.ts';

const keys = deriveDashboardKeys('a'.repeat(64));
const now = 1_800_000_000;
const claims = (over: Partial<SessionClaims> = {}): SessionClaims => ({
  v: 1,
  sid: newSessionId(),
  sub: 'env:grafana',
  name: 'grafana',
  scope: 'analyst',
  src: 'environment',
  fp: keyFingerprint(keys, 'the-secret'),
  iat: now,
  exp: now + 3600,
  ...over,
});

describe('dashboard session tokens', () => {
  it('reads back what it signed, and never carries the API key', () => {
    const c = claims();
    const token = issueSessionToken(keys, c);
    expect(readSessionToken(keys, token, now + 10)).toEqual({ ok: true, claims: c });
    expect(Buffer.from(token.split('.')[0]!, 'base64url').toString()).not.toContain('the-secret');
    expect(token).not.toContain('the-secret');
  });

  it('rejects a token whose claims were changed (a scope raised to ops)', () => {
    const token = issueSessionToken(keys, claims());
    const [body, signature] = token.split('.');
    const forged = JSON.parse(Buffer.from(body!, 'base64url').toString());
    forged.scope = 'ops';
    const tampered = `${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    expect(readSessionToken(keys, tampered, now)).toEqual({ ok: false, reason: 'signature' });
  });

  it('rejects a token signed under another SECRET_KEY', () => {
    const other = deriveDashboardKeys('b'.repeat(64));
    expect(readSessionToken(keys, issueSessionToken(other, claims()), now)).toEqual({
      ok: false,
      reason: 'signature',
    });
  });

  it('rejects an expired token, and one issued in the future beyond the clock skew', () => {
    const token = issueSessionToken(keys, claims());
    expect(readSessionToken(keys, token, now + 3599).ok).toBe(true);
    expect(readSessionToken(keys, token, now + 3600)).toEqual({ ok: false, reason: 'expired' });
    expect(readSessionToken(keys, issueSessionToken(keys, claims({ iat: now + 600 })), now)).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('rejects garbage without throwing', () => {
    for (const token of [undefined, '', 'x', 'a.b.c', '.', `${'a'.repeat(5000)}.b`, 'e30.AAAA']) {
      expect(readSessionToken(keys, token, now).ok).toBe(false);
    }
  });

  it('uses different keys for sessions and CSRF tokens', () => {
    expect(keys.session.equals(keys.csrf)).toBe(false);
    expect(keys.session).toHaveLength(32);
  });
});
