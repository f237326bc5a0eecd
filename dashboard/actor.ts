import type { Context } from 'hono';
import type { Actor } from '../schemas/events/envelope.ts';
import { viewerOf } from './auth/viewer.ts';

/**
 * Who acts when a dashboard form changes something, from the page's session: a person signed in
 * with Slack acts as themself (the write side's policy then decides per manager and team); an
 * API-key session acts as ops (`dashboard:<key name>`).
 */
export const dashboardActor = (c: Context): Actor => {
  const viewer = viewerOf(c);
  if (viewer.kind === 'slack') return { kind: 'user', id: viewer.userId };
  return { kind: 'ops', id: `dashboard:${c.get('dashboardSession')?.claims.name ?? 'unknown'}` };
};
