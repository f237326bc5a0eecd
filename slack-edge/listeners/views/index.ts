import type { App } from '@slack/bolt';
import { setTargetView, viewIds } from '../../blocks/action-ids.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { reviewSubmitted } from './review-submitted.ts';
import { setTargetSubmitted } from './set-target-submitted.ts';
import { startRoleplaySubmitted } from './start-roleplay-submitted.ts';

export const registerViews = (app: App, deps: SlackEdgeDeps) => {
  app.view(viewIds.startRoleplay, startRoleplaySubmitted(deps));
  app.view(viewIds.managerReview, reviewSubmitted(deps));
  // Targets (issue 16, targets).
  app.view(setTargetView.callbackId, setTargetSubmitted(deps));
};
