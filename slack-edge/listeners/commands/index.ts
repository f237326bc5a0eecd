import type { App } from '@slack/bolt';
import type { SlackEdgeDeps } from '../../deps.ts';
import { aiHelp } from './ai-help.ts';
import { aiHistory } from './ai-history.ts';
import { aiKnowledge } from './ai-knowledge.ts';

export const registerCommands = (app: App, deps: SlackEdgeDeps) => {
  app.command('/ai_help', aiHelp());
  app.command('/ai_knowledge', aiKnowledge(deps));
  app.command('/ai_history', aiHistory(deps));
};
