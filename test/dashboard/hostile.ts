import type { CommandMetadata, DialogueCommand } from '../../schemas/commands.ts';
import type { Conversation } from '../../schemas/events/index.ts';
import { skillKeys } from '../../schemas/skills.ts';
import { handleCommand } from '../../write/command-handler.ts';
import { decideDialogue } from '../../write/dialogue/decide.ts';
import { evolveDialogue, initialDialogueState } from '../../write/dialogue/state.ts';
import { dialogueStreamId } from '../../write/dialogue/stream.ts';
import type { EventCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';

/** What a rep might paste: markup that would run if any page passed it through. */
export const hostileText = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">';
export const hostileUser = 'U0XSS';

/**
 * A session whose message, reply, citation title and insight all carry markup, recorded
 * through the command handler and the dialogue decider (as Slack traffic would be).
 */
export const recordHostileSession = async (store: EventStore, codec: EventCodec): Promise<string> => {
  const conversation: Conversation = {
    id: 'T0XSS:D0XSS:dm',
    teamId: 'T0XSS',
    channelId: 'D0XSS',
    channelKind: 'im',
    threadTs: null,
  };
  const send = async (command: DialogueCommand, key: string) => {
    const metadata: CommandMetadata = {
      idempotencyKey: key,
      correlationId: key,
      causationId: null,
      now: new Date().toISOString(),
      actor: { kind: 'user', id: hostileUser },
    };
    return handleCommand(
      store,
      codec,
      dialogueStreamId(conversation.id),
      { initialState: initialDialogueState, evolve: evolveDialogue },
      (state) => decideDialogue(command, state, { metadata, inactivityMs: 30 * 60_000 }),
      metadata,
    );
  };
  const messageId = '1700000000.000001';
  const started = await send(
    {
      type: 'ReceiveUserMessage',
      conversation,
      userId: hostileUser,
      messageId,
      text: hostileText,
      sentAt: new Date().toISOString(),
    },
    'xss-message',
  );
  const received = started.events.find((e) => e.type === 'MessageReceived');
  if (received?.type !== 'MessageReceived') throw new Error('no message recorded');
  const sessionId = received.data.sessionId;
  await send(
    {
      type: 'RecordAssistantReply',
      conversationId: conversation.id,
      sessionId,
      replyTo: messageId,
      text: `Echo: ${hostileText}`,
      citations: [{ documentId: 'objection-price', title: '</title><script>window.__xss = 3</script>' }],
    },
    'xss-reply',
  );
  await send(
    {
      type: 'RecordInsight',
      conversationId: conversation.id,
      insight: {
        sessionId,
        userId: hostileUser,
        basedOnMessageId: messageId,
        scores: { hearing: 3, proposal: 3, objection_handling: 3, closing: 3, relationship: 3 },
        strengths: [hostileText],
        improvements: ['"><svg onload="window.__xss = 4">'],
        nextActions: [],
        summary: hostileText,
        model: 'test',
        rubric: { id: 'core', version: 1 },
        provider: 'mock',
        promptHash: null,
        origin: 'live',
      },
      skillKeys: [...skillKeys],
    },
    'xss-insight',
  );
  return sessionId;
};
