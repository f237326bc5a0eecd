/** Block Kit `action_id`s and `callback_id`s: what each interactive element asks the edge to do. */
export const actionIds = {
  /** Slack's native 👍/👎 element under a reply (`feedback_buttons`). */
  replyFeedback: 'reply_feedback',
  endSession: 'end_session',
  showDocument: 'show_document',
  startRoleplay: 'start_roleplay',
  /** A manager's "Review" button on a team session (App Home): opens the review modal. */
  reviewSession: 'review_session',
} as const;

export const viewIds = {
  startRoleplay: 'start_roleplay_modal',
  document: 'knowledge_document',
  home: 'home',
  managerReview: 'manager_review_modal',
} as const;

/** The review modal's inputs: a block per skill (`review_score:<skill>`), and the comment. */
export const reviewScoreBlock = (skill: string) => `review_score:${skill}`;
export const reviewScoreAction = 'score';
export const reviewCommentBlock = 'review_comment';
export const reviewCommentAction = 'comment';

export const roleplayPersonaBlock = 'persona';
export const roleplayPersonaAction = 'persona_input';

/** Targets and the weekly digest (issue 16, targets). */
export const coachingPlanActionIds = {
  toggleDigest: 'toggle_weekly_digest',
  openSetTarget: 'open_set_target',
} as const;

export const setTargetView = {
  callbackId: 'set_target_modal',
  repBlock: 'target_rep',
  repAction: 'target_rep_input',
  skillBlock: 'target_skill',
  skillAction: 'target_skill_input',
  levelBlock: 'target_level',
  levelAction: 'target_level_input',
  dueBlock: 'target_due',
  dueAction: 'target_due_input',
} as const;
