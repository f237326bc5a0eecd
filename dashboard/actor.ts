import type { Context } from 'hono';
import type { Actor } from '../schemas/events/envelope.ts';

/**
 * Who acts when a dashboard form changes something, from the page's session. An API-key
 * session acts as ops (`dashboard:<key name>`); when the dashboard signs people in with Slack,
 * this is the one place to return `{ kind: 'user', id: <Slack user id> }` instead, and the
 * write side's policy (write/authorization/policy.ts) then decides per manager and team.
 */
export const dashboardActor = (c: Context): Actor => ({
  kind: 'ops',
  id: `dashboard:${c.get('dashboardSession')?.claims.name ?? 'unknown'}`,
});
