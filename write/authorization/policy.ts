/**
 * Who may see whose coaching history in Slack. Pure: the Slack edge asks, nothing here reads
 * Slack or the database.
 * - Everyone sees their own history.
 * - A manager (MANAGER_USER_IDS) sees the reps of their team (TEAMS: `U_MGR:U_REP1|U_REP2;…`).
 * - Nobody else sees anyone else: a team entry whose manager is not in MANAGER_USER_IDS grants
 *   nothing, so removing someone from the manager list is enough to revoke their access.
 */
export type AuthorizationConfig = {
  readonly managerUserIds: readonly string[];
  /** Manager user id → the user ids of their team. */
  readonly teams: Readonly<Record<string, readonly string[]>>;
};

export type Viewer = string | { readonly userId: string };

const idOf = (viewer: Viewer) => (typeof viewer === 'string' ? viewer : viewer.userId);

export const isManager = (viewer: Viewer, config: AuthorizationConfig): boolean =>
  config.managerUserIds.includes(idOf(viewer));

/** The users whose history `viewer` may see besides their own. */
export const teamOf = (viewer: Viewer, config: AuthorizationConfig): readonly string[] => {
  const id = idOf(viewer);
  if (!isManager(id, config)) return [];
  return Object.hasOwn(config.teams, id) ? (config.teams[id] ?? []) : [];
};

/** May `viewer` see the history (sessions, messages, insights, scores) of `subject`? */
export const canView = (viewer: Viewer, subject: string, config: AuthorizationConfig): boolean => {
  const id = idOf(viewer);
  if (id === '' || subject === '') return false;
  return id === subject || teamOf(id, config).includes(subject);
};

/** Everyone `viewer` may see, themself first (for pickers and "my team" views). */
export const visibleSubjects = (viewer: Viewer, config: AuthorizationConfig): readonly string[] => {
  const id = idOf(viewer);
  return [id, ...teamOf(id, config).filter((s) => s !== id)];
};

/** The policy's configuration from the parsed environment. */
export const authorizationConfigFrom = (env: {
  MANAGER_USER_IDS: readonly string[];
  TEAMS: Readonly<Record<string, readonly string[]>>;
}): AuthorizationConfig => ({ managerUserIds: env.MANAGER_USER_IDS, teams: env.TEAMS });

/**
 * May `reviewer` review (score and comment on) a session of `rep`? Only a manager of the rep's
 * team, never on their own sessions: a review overrides the AI's scores.
 */
export const canReview = (reviewer: Viewer, rep: string, config: AuthorizationConfig): boolean => {
  const id = idOf(reviewer);
  return id !== '' && rep !== '' && id !== rep && teamOf(id, config).includes(rep);
};

/** The managers whose team `rep` is in (who is told about, and may review, the rep's sessions). */
export const managersOf = (rep: string, config: AuthorizationConfig): readonly string[] =>
  config.managerUserIds.filter((m) => m !== rep && teamOf(m, config).includes(rep));
