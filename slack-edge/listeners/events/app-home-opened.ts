import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackEdgeDeps } from '../../deps.ts';

/**
 * The rep opened the Home tab: publish their dashboard. Not awaited, so the event is acknowledged
 * at once; the view follows a moment later.
 */
export const appHomeOpened =
  (deps: SlackEdgeDeps) =>
  async ({ event }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
    if (event.tab !== 'home' || typeof event.user !== 'string') return;
    deps.publishHome(event.user).catch((error: unknown) => {
      deps.logger.warn({ err: error, userId: event.user }, 'slack: could not publish the Home tab');
    });
  };
