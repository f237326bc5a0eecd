import type { CommandMetadata, DialogueCommand } from '../../schemas/commands.ts';
import { type HandleResult, handleCommand } from '../command-handler.ts';
import { decideWith, dialogueDecider } from '../dialogue/decider.ts';
import type { DialogueState } from '../dialogue/state.ts';
import { dialogueStreamId } from '../dialogue/stream.ts';
import type { EventCodec } from '../event-store/codec.ts';
import type { EventStore } from '../event-store/port.ts';

export type DialogueWriter = {
  store: EventStore;
  codec: EventCodec;
  /** SESSION_INACTIVITY_MINUTES in milliseconds. */
  inactivityMs: number;
};

export const conversationOf = (command: DialogueCommand): string =>
  command.type === 'ReceiveUserMessage' ? command.conversation.id : command.conversationId;

/** Sends a dialogue command through the command handler, on its conversation's stream. */
export const sendDialogueCommand = (
  writer: DialogueWriter,
  command: DialogueCommand,
  metadata: CommandMetadata,
): Promise<HandleResult<DialogueState>> =>
  handleCommand(
    writer.store,
    writer.codec,
    dialogueStreamId(conversationOf(command)),
    dialogueDecider,
    decideWith(command, { metadata, inactivityMs: writer.inactivityMs }),
    metadata,
  );
