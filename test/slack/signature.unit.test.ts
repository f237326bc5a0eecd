import { describe, expect, it } from 'vitest';
import { slackSignature, verifySlackSignature } from '../../slack-edge/http/signature.ts';

// Slack's documented example ("Verifying requests from Slack").
const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const timestamp = '1531420618';
const body =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const expected = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

describe('Slack request signing (v0)', () => {
  it("computes Slack's documented example", () => {
    expect(slackSignature(secret, timestamp, body)).toBe(expected);
    expect(slackSignature(secret, timestamp, Buffer.from(body))).toBe(expected);
  });

  it('accepts the documented request with the clock at its timestamp', () => {
    const check = verifySlackSignature({
      signingSecret: secret,
      timestamp,
      signature: expected,
      rawBody: body,
      nowSeconds: 1531420618,
    });
    expect(check).toEqual({ ok: true });
  });

  it('accepts up to five minutes either way, and refuses beyond (a replay)', () => {
    const at = (now: number) =>
      verifySlackSignature({
        signingSecret: secret,
        timestamp,
        signature: expected,
        rawBody: body,
        nowSeconds: now,
      }).ok;
    expect(at(1531420618 + 300)).toBe(true);
    expect(at(1531420618 - 300)).toBe(true);
    expect(at(1531420618 + 301)).toBe(false);
    expect(at(1531420618 - 301)).toBe(false);
  });

  it('refuses a changed body, another secret, a malformed or missing signature', () => {
    const base = {
      signingSecret: secret,
      timestamp,
      signature: expected,
      rawBody: body,
      nowSeconds: 1531420618,
    };
    expect(verifySlackSignature({ ...base, rawBody: `${body}&x=1` })).toMatchObject({
      ok: false,
      reason: 'signature mismatch',
    });
    expect(verifySlackSignature({ ...base, signingSecret: 'another-secret' }).ok).toBe(false);
    expect(verifySlackSignature({ ...base, signature: 'v0=abc' }).ok).toBe(false);
    expect(verifySlackSignature({ ...base, signature: undefined }).ok).toBe(false);
    expect(verifySlackSignature({ ...base, timestamp: 'soon' }).ok).toBe(false);
    // Same length, one character off: compared in constant time, still refused.
    expect(verifySlackSignature({ ...base, signature: `${expected.slice(0, -1)}0` }).ok).toBe(false);
  });
});
