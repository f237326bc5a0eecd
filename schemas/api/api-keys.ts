import { z } from 'zod';
import { ApiKeyScope } from '../config.ts';

/**
 * Read API keys look like `sk_<prefix>_<secret>`: the prefix (12 lower-case hex characters)
 * finds the key's row, the secret (32 random bytes, base64url) is checked against its hash.
 */
export const apiKeyPattern = /^sk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** Names of keys, from the CLI and from API_KEYS alike. */
export const ApiKeyName = z
  .string()
  .regex(/^[\w.-]{1,64}$/, 'expected 1-64 letters, digits, dots, dashes or underscores');

/** `analyst` ⊂ `reviewer` (also transcripts) ⊂ `ops` (everything, and operations). */
export const scopeIncludes: Readonly<Record<ApiKeyScope, readonly ApiKeyScope[]>> = {
  analyst: ['analyst'],
  reviewer: ['analyst', 'reviewer'],
  ops: ['analyst', 'reviewer', 'ops'],
};

/** Whether a key of scope `held` may do what needs `needed`. */
export const scopeAllows = (held: ApiKeyScope, needed: ApiKeyScope): boolean =>
  scopeIncludes[held].includes(needed);

export const ApiKeySource = z.enum(['database', 'environment']);
export type ApiKeySource = z.infer<typeof ApiKeySource>;

/** Who a request's key says it is. */
export const ApiKeyPrincipal = z.object({
  /** The row id, or `env:<name>` for keys from API_KEYS. */
  id: z.string(),
  name: z.string(),
  scope: ApiKeyScope,
  source: ApiKeySource,
});
export type ApiKeyPrincipal = z.infer<typeof ApiKeyPrincipal>;

/** What `api-key list` shows: never the secret, nor its hash. */
export const ApiKeySummary = z.object({
  name: z.string(),
  scope: ApiKeyScope,
  source: ApiKeySource,
  prefix: z.string().nullable(),
  createdAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKeySummary = z.infer<typeof ApiKeySummary>;

/** `GET /api/v1/auth/whoami`: which key the request used. */
export const WhoAmIResponse = ApiKeyPrincipal.pick({ name: true, scope: true, source: true });
export type WhoAmIResponse = z.infer<typeof WhoAmIResponse>;
