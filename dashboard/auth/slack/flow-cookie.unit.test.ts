import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveDashboardKeys } from '../keys.ts';
import {
  newSlackFlow,
  openSlackFlow,
  pkceChallenge,
  sealSlackFlow,
  slackFlowSeconds,
} from './flow-cookie.ts';
import { slackRedirectUri } from './settings.ts';

const keys = deriveDashboardKeys('a-secret-key-of-at-least-32-characters!!');

describe('Sign in with Slack: the flow cookie', () => {
  it('opens what it sealed until it expires; fresh state, nonce and verifier each time', () => {
    const flow = newSlackFlow('/dashboard/reps/U1', 1000);
    const other = newSlackFlow('/dashboard', 1000);
    expect(new Set([flow.state, flow.nonce, flow.verifier, other.state]).size).toBe(4);
    const sealed = sealSlackFlow(keys, flow);
    expect(openSlackFlow(keys, sealed, 1000 + slackFlowSeconds - 1)).toEqual(flow);
    expect(openSlackFlow(keys, sealed, 1000 + slackFlowSeconds)).toBeUndefined();
  });

  it('refuses a cookie changed by hand or sealed under another key', () => {
    const sealed = sealSlackFlow(keys, newSlackFlow('/dashboard', 1000));
    const [body, mac] = sealed.split('.') as [string, string];
    const changed = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), next: '/dashboard/x' }),
    ).toString('base64url');
    expect(openSlackFlow(keys, `${changed}.${mac}`, 1000)).toBeUndefined();
    expect(
      openSlackFlow(deriveDashboardKeys('another-secret-key-of-32-characters!!!'), sealed, 1000),
    ).toBeUndefined();
    expect(openSlackFlow(keys, undefined, 1000)).toBeUndefined();
    expect(openSlackFlow(keys, 'garbage', 1000)).toBeUndefined();
  });

  it('makes the PKCE S256 challenge and the redirect URI under DASHBOARD_URL', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(pkceChallenge(verifier)).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(pkceChallenge(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(slackRedirectUri('https://sales.example.com/dashboard/')).toBe(
      'https://sales.example.com/dashboard/sign-in/slack/callback',
    );
  });
});
