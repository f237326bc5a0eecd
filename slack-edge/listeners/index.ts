import type { App } from '@slack/bolt';
import type { SlackEdgeDeps } from '../deps.ts';
import { registerActions } from './actions/index.ts';
import { registerCommands } from './commands/index.ts';
import { registerEvents } from './events/index.ts';
import { registerViews } from './views/index.ts';

/** Every listener, by kind: events, slash commands, block actions, view submissions. */
export const registerListeners = (app: App, deps: SlackEdgeDeps) => {
  registerEvents(app, deps);
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
};
