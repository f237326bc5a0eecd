import type { Context, MiddlewareHandler } from 'hono';
import { scopeAllows } from '../../../schemas/api/api-keys.ts';
import type { ApiKeyScope } from '../../../schemas/config.ts';
import { AppError } from '../../../schemas/errors.ts';
import '../api-key-auth/index.ts';
import { handlerRoutePattern } from '../route-pattern/index.ts';

/** The scope a request needs, decided per request (`public`: none). */
export type ScopeOfRequest = (c: Context) => ApiKeyScope | 'public';

export type RequireScopeOptions = {
  scope: ApiKeyScope | ScopeOfRequest;
  realm?: string;
};

/**
 * Lets a request through only with a key (set by `apiKeyAuth`) whose scope includes `scope`:
 * none or an invalid one is 401 with `WWW-Authenticate: Bearer` (RFC 6750), too narrow a scope
 * is 403. A path no route answers is left to the 404 handler.
 */
export const requireScope = ({ scope, realm = 'salesai' }: RequireScopeOptions): MiddlewareHandler =>
  async function requireApiScope(c, next) {
    if (handlerRoutePattern(c) === undefined) return next();
    const needed = typeof scope === 'function' ? scope(c) : scope;
    if (needed === 'public') return next();
    const principal = c.get('apiKey');
    if (!principal) {
      const problem = c.get('apiKeyProblem');
      c.header(
        'WWW-Authenticate',
        problem ? `Bearer realm="${realm}", error="invalid_token"` : `Bearer realm="${realm}"`,
      );
      throw new AppError(
        'UNAUTHORIZED',
        problem === 'invalid'
          ? 'the API key is not valid (unknown or revoked)'
          : problem === 'malformed'
            ? 'expected Authorization: Bearer <API key>'
            : 'an API key is required: Authorization: Bearer <API key>',
      );
    }
    if (!scopeAllows(principal.scope, needed)) {
      c.header('WWW-Authenticate', `Bearer realm="${realm}", error="insufficient_scope", scope="${needed}"`);
      throw new AppError('FORBIDDEN', `this endpoint needs a key with the ${needed} scope`);
    }
    await next();
  };
