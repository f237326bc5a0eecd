import type { Context } from 'hono';
import { staticTeamDirectory, type TeamDirectory } from '../write/authorization/team-directory.ts';
import { type AttemptLimiter, createAttemptLimiter } from './auth/attempts.ts';
import { isSecureRequest } from './auth/cookies.ts';
import { createEndedSessions, type EndedSessions } from './auth/ended-sessions.ts';
import { type DashboardKeys, deriveDashboardKeys } from './auth/keys.ts';
import { createLivenessCheck, type LivenessCheck } from './auth/liveness.ts';
import { type DashboardDeps, defaultSessionTtlSeconds, defaultTimeZone } from './deps.ts';
import { type AssetUrls, type PageContext, pageContext } from './views/page-context.ts';

/** The deps with their defaults filled in, and what is made from them once. */
export type DashboardRuntime = {
  deps: DashboardDeps;
  keys: DashboardKeys;
  timeZone: string;
  now: () => number;
  sessionTtlSeconds: number;
  isLive: LivenessCheck;
  /** Sessions signed out server-side. */
  endedSessions: EndedSessions;
  signInAttempts: AttemptLimiter;
  secure: (c: Context) => boolean;
  page: (c: Context) => PageContext;
  /** Who manages whom (Slack sign-ins see only what the policy allows). */
  teams: TeamDirectory;
};

export const createRuntime = (deps: DashboardDeps, assets: AssetUrls): DashboardRuntime => {
  const keys = deriveDashboardKeys(deps.secretKey);
  const now = deps.now ?? Date.now;
  const timeZone = deps.timeZone ?? defaultTimeZone;
  return {
    deps,
    keys,
    timeZone,
    now,
    sessionTtlSeconds: deps.sessionTtlSeconds ?? defaultSessionTtlSeconds,
    isLive: createLivenessCheck({ db: deps.pool, keys, envKeys: deps.envKeys, now }),
    endedSessions: createEndedSessions(deps.pool),
    signInAttempts: createAttemptLimiter({ now }),
    secure: (c) => isSecureRequest(c, deps.secureCookies === true),
    page: (c) => pageContext(c, assets, timeZone),
    teams: deps.teams ?? staticTeamDirectory({ managerUserIds: [], teams: {} }),
  };
};
