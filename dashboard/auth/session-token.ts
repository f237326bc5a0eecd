import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ApiKeySource } from '../../schemas/api/api-keys.ts';
import { ApiKeyScope } from '../../schemas/config.ts';
import { type DashboardKeys, mac, sameMac } from './keys.ts';

/**
 * What the session cookie says: who signed in (the key's principal, never the key itself), how
 * to recognise the key again (its public prefix, or a fingerprint), and until when.
 */
export const SessionClaims = z.object({
  v: z.literal(1),
  /** Random session id: CSRF tokens are bound to it. */
  sid: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  /** The principal id (`api_keys.id`, or `env:<name>`). */
  sub: z.string().min(1),
  name: z.string().min(1),
  scope: ApiKeyScope,
  /** How they signed in: an API key (`database`, `environment`), or Sign in with Slack (`slack`). */
  src: z.union([ApiKeySource, z.literal('slack')]),
  /** Slack sign-in: the Slack user id and workspace id (what they may see is theirs and their team's). */
  uid: z
    .string()
    .regex(/^[UW][A-Z0-9]+$/)
    .optional(),
  tid: z
    .string()
    .regex(/^[TE][A-Z0-9]+$/)
    .optional(),
  /** The key's prefix (CLI keys): the row is looked up by it to notice a revocation. */
  kp: z.string().optional(),
  /** keyFingerprint of the key: an API_KEYS secret changed under the same name ends the session. */
  fp: z.string(),
  /** Issued at and expires at, in seconds since the epoch. */
  iat: z.number().int(),
  exp: z.number().int(),
});
export type SessionClaims = z.infer<typeof SessionClaims>;

export type SessionReading =
  | { ok: true; claims: SessionClaims }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/** Clock skew tolerated for a token issued "in the future" by another process. */
const skewSeconds = 60;

export const newSessionId = (): string => randomBytes(16).toString('base64url');

/** `base64url(JSON claims).base64url(HMAC-SHA-256)`: readable by anyone, made only with SECRET_KEY. */
export const issueSessionToken = (keys: DashboardKeys, claims: SessionClaims): string => {
  const body = Buffer.from(JSON.stringify(SessionClaims.parse(claims)), 'utf8').toString('base64url');
  return `${body}.${mac(keys.session, `session:${body}`)}`;
};

export const readSessionToken = (
  keys: DashboardKeys,
  token: string | undefined,
  nowSeconds: number,
): SessionReading => {
  if (!token || token.length > 4096) return { ok: false, reason: 'malformed' };
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
  // The signature is checked before the body is parsed: nothing forged reaches JSON.parse.
  if (!sameMac(signature, mac(keys.session, `session:${body}`))) return { ok: false, reason: 'signature' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const claims = SessionClaims.safeParse(parsed);
  if (!claims.success) return { ok: false, reason: 'malformed' };
  if (claims.data.exp <= nowSeconds || claims.data.iat > nowSeconds + skewSeconds) {
    return { ok: false, reason: 'expired' };
  }
  return { ok: true, claims: claims.data };
};
