import type pg from 'pg';
import type { Rubric } from '../../schemas/rubrics.ts';
import { type RescoreDeps, type RescoreOutcome, rescoreSession } from '../../write/agent/rescore.ts';
import type { PersonalText } from '../../write/crypto/personal-text.ts';
import type { PlannedSession } from './sessions.ts';
import { withTranscript } from './sessions.ts';

export type RescoreRun = Record<RescoreOutcome, number>;

/**
 * Scores the planned sessions one after another. Each is recorded before the next is asked
 * for, so a run stopped anywhere (even SIGKILL) has lost at most the answer in flight; run again,
 * it skips what was recorded and does the rest.
 */
export const runRescore = async (
  deps: RescoreDeps & { pool: pg.Pool; personal: PersonalText },
  sessions: readonly PlannedSession[],
  rubric: Rubric,
  onSession: (outcome: RescoreOutcome, session: PlannedSession) => void = () => {},
): Promise<RescoreRun> => {
  const counts: RescoreRun = { recorded: 0, already: 0, failed: 0, empty: 0 };
  for (const planned of sessions) {
    const session = await withTranscript(deps.pool, deps.personal, planned);
    const outcome = await rescoreSession(deps, session, rubric);
    counts[outcome]++;
    onSession(outcome, planned);
  }
  return counts;
};
