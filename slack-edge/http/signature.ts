import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's request signing, version 0: an HMAC-SHA256 of `v0:{timestamp}:{raw body}`. */
export const slackSignature = (
  signingSecret: string,
  timestamp: string,
  rawBody: string | Buffer,
): string => {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
};

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export type SignatureInput = {
  signingSecret: string;
  /** `X-Slack-Request-Timestamp`. */
  timestamp: string | undefined;
  /** `X-Slack-Signature`. */
  signature: string | undefined;
  rawBody: string | Buffer;
  /** Seconds since the epoch (tests fix the clock to Slack's documented example). */
  nowSeconds: number;
  /** Replayed requests older (or newer) than this are refused; Slack recommends five minutes. */
  toleranceSeconds?: number;
};

/**
 * Verifies a request the way Slack documents it. The timestamp is checked first (a replayed
 * request is refused even when its signature is right); signatures are compared in constant time.
 */
export const verifySlackSignature = (input: SignatureInput): SignatureCheck => {
  const { timestamp, signature } = input;
  if (!timestamp || !signature)
    return { ok: false, reason: 'missing X-Slack-Request-Timestamp or X-Slack-Signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed X-Slack-Request-Timestamp' };
  if (Math.abs(input.nowSeconds - Number(timestamp)) > (input.toleranceSeconds ?? 300)) {
    return { ok: false, reason: 'stale X-Slack-Request-Timestamp (more than 5 minutes off)' };
  }
  const expected = Buffer.from(slackSignature(input.signingSecret, timestamp, input.rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature mismatch' };
  }
  return { ok: true };
};
