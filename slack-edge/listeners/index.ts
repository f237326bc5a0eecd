import type { App } from '@slack/bolt';
import type { SlackEdgeDeps } from '../deps.ts';
import { registerActions } from './actions/index.ts';
import { registerAssistant } from './assistant/index.ts';
import { registerCommands } from './commands/index.ts';
import { registerEvents } from './events/index.ts';
import { registerViews } from './views/index.ts';

/**
 * Every listener, by kind: the assistant (its threads and their messages, ahead of the other
 * listeners), events, slash commands, block actions, view submissions.
 */
export const registerListeners = (app: App, deps: SlackEdgeDeps) => {
  registerAssistant(app, deps);
  registerEvents(app, deps);
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
};
