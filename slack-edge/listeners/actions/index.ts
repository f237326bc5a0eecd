import type { App } from '@slack/bolt';
import { actionIds, coachingPlanActionIds } from '../../blocks/action-ids.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { endSession } from './end-session.ts';
import { openReview } from './open-review.ts';
import { openSetTarget } from './open-set-target.ts';
import { replyFeedback } from './reply-feedback.ts';
import { showDocument } from './show-document.ts';
import { startRoleplay } from './start-roleplay.ts';
import { toggleDigest } from './toggle-digest.ts';

export const registerActions = (app: App, deps: SlackEdgeDeps) => {
  // `reply_feedback` (the native element) and `reply_feedback:up|down` (plain buttons).
  app.action(new RegExp(`^${actionIds.replyFeedback}(:(up|down))?$`), replyFeedback(deps));
  app.action(actionIds.endSession, endSession(deps));
  app.action(new RegExp(`^${actionIds.showDocument}(:\\d+)?$`), showDocument(deps));
  app.action(actionIds.startRoleplay, startRoleplay(deps));
  app.action(actionIds.reviewSession, openReview(deps));
  // Targets and the weekly digest (issue 16, targets).
  app.action(coachingPlanActionIds.toggleDigest, toggleDigest(deps));
  app.action(coachingPlanActionIds.openSetTarget, openSetTarget(deps));
};
