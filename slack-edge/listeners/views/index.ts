import type { App } from '@slack/bolt';
import { viewIds } from '../../blocks/action-ids.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { reviewSubmitted } from './review-submitted.ts';
import { startRoleplaySubmitted } from './start-roleplay-submitted.ts';

export const registerViews = (app: App, deps: SlackEdgeDeps) => {
  app.view(viewIds.startRoleplay, startRoleplaySubmitted(deps));
  app.view(viewIds.managerReview, reviewSubmitted(deps));
};
