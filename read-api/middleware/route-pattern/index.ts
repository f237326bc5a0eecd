import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

type MatchedRoute = ReturnType<typeof matchedRoutes>[number];

/**
 * Whether a matched route is a handler rather than middleware. `app.use` registers for method
 * `ALL` on a path ending in `*`; handlers have a method (`app.get`, …) or an exact path. An
 * `app.all('/x/*', handler)` would pass for middleware: register API handlers by method.
 */
const isHandler = (route: MatchedRoute) => route.method !== 'ALL' || !route.path.endsWith('*');

/**
 * The pattern of the route that will answer (`/api/v1/users/:userId/history`), or undefined when
 * none will and the 404 handler answers. Usable in middleware before `next()`.
 */
export const handlerRoutePattern = (c: Context): string | undefined =>
  matchedRoutes(c).findLast(isHandler)?.path;
