import { describe, expect, it } from 'vitest';
import type { CommandMetadata, DialogueCommand } from '../../schemas/commands.ts';
import { AppError } from '../../schemas/errors.ts';
import type { Conversation } from '../../schemas/events/index.ts';
import { stampEvents } from '../command-handler.ts';
import { decideDialogue } from './decide.ts';
import { type DialogueState, evolveDialogue, initialDialogueState } from './state.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 9, minute)).toISOString();
const meta = (now: string): CommandMetadata => ({
  idempotencyKey: `k-${now}`,
  correlationId: 'corr',
  causationId: null,
  now,
  actor: { kind: 'user', id: 'U111' },
});
const thread: Conversation = {
  id: 'T1:C1:1700000000.000100',
  teamId: 'T1',
  channelId: 'C1',
  channelKind: 'channel',
  threadTs: '1700000000.000100',
};
const message = (userId: string, messageId: string, minute: number, extra = {}): DialogueCommand =>
  ({
    type: 'ReceiveUserMessage',
    conversation: thread,
    userId,
    messageId,
    text: `hello ${messageId}`,
    sentAt: at(minute),
    ...extra,
  }) as DialogueCommand;

const decide = (command: DialogueCommand, state: DialogueState) =>
  decideDialogue(command, state, { metadata: meta(at(50)), inactivityMs: 30 * 60_000 });
const apply = (state: DialogueState, command: DialogueCommand) =>
  stampEvents(decide(command, state), meta(at(1))).reduce(evolveDialogue, state);

describe("a rep's session is theirs", () => {
  const repA = apply(initialDialogueState(), message('UREPA', '1700000000.000100', 0));

  it("refuses another person's message in an open session (a mention inside the rep's thread)", () => {
    for (const extra of [{}, { startMode: 'roleplay', persona: 'buyer' }]) {
      let error: unknown;
      try {
        decide(message('UREPB', '1700000000.000200', 1, extra), repA);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('FORBIDDEN');
      expect((error as AppError).details).toMatchObject({ ownerId: 'UREPA' });
    }
  });

  it('still takes the rep’s own follow-ups', () => {
    const drafts = decide(message('UREPA', '1700000000.000300', 2), repA);
    expect(drafts.map((d) => d.type)).toEqual(['MessageReceived']);
  });

  it('lets another person start their own session once the rep’s has ended', () => {
    const ended = apply(repA, {
      type: 'EndSession',
      conversationId: thread.id,
      sessionId: repA.current!.id,
      reason: 'user',
    } as DialogueCommand);
    const drafts = decide(message('UREPB', '1700000000.000400', 3), ended);
    expect(drafts.map((d) => d.type)).toEqual(['SessionStarted', 'MessageReceived']);
    expect(drafts[0]!.data).toMatchObject({ userId: 'UREPB' });
  });
});
