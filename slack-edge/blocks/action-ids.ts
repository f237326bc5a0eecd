/** Block Kit `action_id`s and `callback_id`s: what each interactive element asks the edge to do. */
export const actionIds = {
  /** Slack's native 👍/👎 element under a reply (`feedback_buttons`). */
  replyFeedback: 'reply_feedback',
  endSession: 'end_session',
  showDocument: 'show_document',
  startRoleplay: 'start_roleplay',
} as const;

export const viewIds = {
  startRoleplay: 'start_roleplay_modal',
  document: 'knowledge_document',
  home: 'home',
} as const;

export const roleplayPersonaBlock = 'persona';
export const roleplayPersonaAction = 'persona_input';
