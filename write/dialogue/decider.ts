import type { DialogueCommand } from '../../schemas/commands.ts';
import type { Decider } from '../command-handler.ts';
import type { EventDraft } from '../event-draft.ts';
import { type DialogueContext, decideDialogue } from './decide.ts';
import { type DialogueState, evolveDialogue, initialDialogueState } from './state.ts';

export const dialogueDecider: Decider<DialogueState> = {
  initialState: initialDialogueState,
  evolve: evolveDialogue,
};

export const decideWith =
  (command: DialogueCommand, context: DialogueContext) =>
  (state: DialogueState): EventDraft[] =>
    decideDialogue(command, state, context);
