import type { MiddlewareHandler } from 'hono';
import type { ApiKeyPrincipal } from '../../../schemas/api/api-keys.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set when the request carries a valid key. */
    apiKey: ApiKeyPrincipal;
    /** Why a request that sent credentials has no `apiKey`. */
    apiKeyProblem: 'malformed' | 'invalid';
  }
}

export type ApiKeyAuthOptions = {
  verify: (key: string) => Promise<ApiKeyPrincipal | undefined>;
};

const bearer = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/**
 * Reads `Authorization: Bearer <key>` and sets `apiKey` when the key is valid. It rejects
 * nothing itself: the rate limiter after it counts by key when there is one and by client IP
 * when there is none (so guessing keys is limited per IP), and `requireScope` then answers
 * 401 or 403.
 */
export const apiKeyAuth = ({ verify }: ApiKeyAuthOptions): MiddlewareHandler =>
  async function authenticateApiKey(c, next) {
    const header = c.req.header('Authorization');
    if (header !== undefined) {
      const key = bearer.exec(header)?.[1];
      const principal = key === undefined ? undefined : await verify(key);
      if (principal) c.set('apiKey', principal);
      else c.set('apiKeyProblem', key === undefined ? 'malformed' : 'invalid');
    }
    await next();
  };
