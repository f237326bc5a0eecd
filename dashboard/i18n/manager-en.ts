import type { managerJa } from './manager-ja.ts';

/** English words of Sign in with Slack and manager reviews (merged into en.ts). */
export const managerEn: typeof managerJa = {
  signInWithSlack: 'Sign in with Slack',
  signInOr: 'or with an API key (for systems and operations)',
  signInSlackLead: 'Sign in with your Slack account to see your own coaching and, as a manager, your team’s.',
  slackSignedInAs: (name) => `Signed in as ${name} (Slack)`,
  slackSignInStale: 'The Slack sign-in expired or was started in another tab. Please try again.',
  slackSignInReplayed: 'This sign-in was already used. Please sign in with Slack again.',
  slackSignInDenied: 'The Slack sign-in was cancelled.',
  slackSignInFailed: 'The Slack sign-in could not be verified. Please try again.',
  slackWrongTeam: 'Accounts of this workspace cannot sign in here.',
  slackSignInOff: 'Sign in with Slack is not configured (SLACK_CLIENT_ID).',
  slackSignInContinue: 'Signed in. Continue if you are not taken there',

  reviewsTitle: 'Manager reviews',
  reviewFormTitle: 'Review this session',
  reviewFormLead: 'Score only the skills you override (the others keep the AI’s score).',
  reviewKeep: 'Keep the AI’s',
  reviewComment: 'Comment (sent to the rep)',
  reviewSubmit: 'Send review',
  reviewSaved: 'Review recorded. The rep is told in Slack.',
  reviewNeedsScore: 'Score at least one skill.',
  reviewBy: (reviewer, at) => `Review by ${reviewer} (${at})`,
  reviewReplaced: '(replaced by a later review)',
  colAiScore: 'AI',
  colManagerScore: 'Manager',
  colEffectiveScore: 'Effective',
  noReviews: 'No reviews yet.',

  calibrationTitle: 'Manager and AI agreement',
  calibrationLead:
    'On reviewed sessions, how close the managers’ scores are to the AI’s (mean absolute difference, share within ±1).',
  calibrationNone: 'No reviewed sessions yet.',
  colCalibrationSkill: 'Skill',
  colMeanAbsDiff: 'Mean abs. difference',
  colWithinOne: 'Within ±1',
  colComparisons: 'Comparisons',
  calibrationOverall: 'Overall',
  calibrationCounts: (reviews, sessions) => `${reviews} reviews / ${sessions} sessions`,
};
