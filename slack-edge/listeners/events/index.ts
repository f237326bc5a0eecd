import type { App } from '@slack/bolt';
import type { SlackEdgeDeps } from '../../deps.ts';
import { appHomeOpened } from './app-home-opened.ts';
import { appMention } from './app-mention.ts';
import { message } from './message.ts';

export const registerEvents = (app: App, deps: SlackEdgeDeps) => {
  app.event('app_mention', appMention(deps));
  app.event('message', message(deps));
  app.event('app_home_opened', appHomeOpened(deps));
};
