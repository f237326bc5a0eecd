import type { Context } from 'hono';
import { AppError } from '../../schemas/errors.ts';
import { canView, isManager, visibleSubjects } from '../../write/authorization/policy.ts';
import type { DashboardRuntime } from '../runtime.ts';

/**
 * Who is looking: an API key (its scope decides, as in the read API: it sees every rep), or a
 * person signed in with Slack, who sees themself and, as a manager, their team — nobody else.
 */
export type DashboardViewer = { kind: 'key' } | { kind: 'slack'; userId: string };

export const viewerOf = (c: Context): DashboardViewer => {
  const claims = c.get('dashboardSession')?.claims;
  if (claims?.src === 'slack') {
    if (!claims.uid) throw new AppError('UNAUTHORIZED', 'a Slack session without a user');
    return { kind: 'slack', userId: claims.uid };
  }
  return { kind: 'key' };
};

/** The reps this request may see: null = everyone (API keys). */
export const visibleUserIds = async (rt: DashboardRuntime, c: Context): Promise<readonly string[] | null> => {
  const viewer = viewerOf(c);
  if (viewer.kind === 'key') return null;
  return visibleSubjects(viewer.userId, await rt.teams.config());
};

/** Whether the Slack-signed-in viewer manages anyone (managers get the team page and reviews). */
export const viewerIsManager = async (rt: DashboardRuntime, c: Context): Promise<boolean> => {
  const viewer = viewerOf(c);
  return viewer.kind === 'slack' && isManager(viewer.userId, await rt.teams.config());
};

/** Someone else's rep page or session is "not found" to a Slack viewer: not even its existence shows. */
export const assertMayView = async (rt: DashboardRuntime, c: Context, subject: string): Promise<void> => {
  const viewer = viewerOf(c);
  if (viewer.kind === 'key') return;
  if (!canView(viewer.userId, subject, await rt.teams.config())) {
    throw new AppError('NOT_FOUND', 'no such page for this viewer');
  }
};
