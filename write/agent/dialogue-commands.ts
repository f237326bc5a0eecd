import type { CommandMetadata, DialogueCommand } from '../../schemas/commands.ts';
import { type DialogueResult, type DialogueWriter, handleDialogueCommand } from '../dialogue/handle.ts';

export type { DialogueWriter } from '../dialogue/handle.ts';

/** Sends a dialogue command through the command handler, on the stream of the session it concerns. */
export const sendDialogueCommand = (
  writer: DialogueWriter,
  command: DialogueCommand,
  metadata: CommandMetadata,
): Promise<DialogueResult> => handleDialogueCommand(writer, command, metadata);
