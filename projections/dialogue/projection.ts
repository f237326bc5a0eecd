import { defineProjection } from '../projection.ts';
import { applyDialogueBatch, applyDialogueEvent } from './apply.ts';
import { dialogueDdl, dialogueTables } from './ddl.ts';

/** Dialogue sessions and their messages, newest first per user; feedback on replies. */
export const dialogueProjection = defineProjection({
  name: 'dialogue',
  version: 1,
  tables: dialogueTables,
  handles: ['SessionStarted', 'MessageReceived', 'SessionEnded', 'FeedbackGiven'],
  ddl: dialogueDdl,
  apply: (event, context) => applyDialogueEvent(event, context),
  applyBatch: applyDialogueBatch,
  cacheScopes: (event) => ('userId' in event.data ? [`user:${event.data.userId}`] : []),
});
