import { describe, expect, it } from 'vitest';
import type { CommandMetadata, DialogueCommand } from '../../schemas/commands.ts';
import { AppError } from '../../schemas/errors.ts';
import type { Conversation } from '../../schemas/events/index.ts';
import { skillKeys } from '../../schemas/skills.ts';
import { stampEvents } from '../command-handler.ts';
import type { EventDraft } from '../event-draft.ts';
import { deterministicId } from '../ids.ts';
import { decideDialogue } from './decide.ts';
import { evolveDialogue, initialDialogueState } from './state.ts';
import { closingReplyTo } from './stream.ts';

const minutes = (n: number) => n * 60_000;
const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 9, 0) + minutes(minute)).toISOString();
const meta = (now: string, key = `k-${now}`): CommandMetadata => ({
  idempotencyKey: key,
  correlationId: 'corr',
  causationId: null,
  now,
  actor: { kind: 'user', id: 'U111' },
});

const dm: Conversation = { id: 'T1:D1:dm', teamId: 'T1', channelId: 'D1', channelKind: 'im', threadTs: null };
const thread: Conversation = {
  id: 'T1:C1:1700000000.000100',
  teamId: 'T1',
  channelId: 'C1',
  channelKind: 'channel',
  threadTs: '1700000000.000100',
};

const userMessage = (
  messageId: string,
  minute: number,
  conversation = dm,
  extra: Partial<DialogueCommand> = {},
): DialogueCommand =>
  ({
    type: 'ReceiveUserMessage',
    conversation,
    userId: 'U111',
    messageId,
    text: `hello ${messageId}`,
    sentAt: at(minute),
    ...extra,
  }) as DialogueCommand;

/** given (earlier commands, applied through the decider) / when (a command) / then (drafts or an error). */
const spec = (given: DialogueCommand[]) => {
  let state = initialDialogueState();
  let minute = 0;
  for (const command of given) {
    const now = 'sentAt' in command ? command.sentAt : at(minute++);
    const drafts = decideDialogue(command, state, { metadata: meta(now), inactivityMs: minutes(30) });
    for (const event of stampEvents(drafts, meta(now, `${command.type}-${now}`)))
      state = evolveDialogue(state, event);
  }
  return {
    when: (command: DialogueCommand, now = at(500)) => {
      const run = () => decideDialogue(command, state, { metadata: meta(now), inactivityMs: minutes(30) });
      return {
        thenEmits: (check: (drafts: EventDraft[]) => void) => check(run()),
        thenThrows: (code: string) => {
          expect(run).toThrow(AppError);
          try {
            run();
          } catch (error) {
            expect((error as AppError).code).toBe(code);
          }
        },
      };
    },
  };
};

const sessionFor = (conversationId: string, messageId: string) =>
  deterministicId('session', `${conversationId}/${messageId}`);

describe('dialogue decider', () => {
  it('starts a session with the first message of a conversation', () => {
    spec([])
      .when(userMessage('m1', 0))
      .thenEmits((drafts) => {
        expect(drafts.map((d) => d.type)).toEqual(['SessionStarted', 'MessageReceived']);
        const [started, message] = drafts as [
          Extract<EventDraft, { type: 'SessionStarted' }>,
          Extract<EventDraft, { type: 'MessageReceived' }>,
        ];
        expect(started.data.sessionId).toBe(sessionFor(dm.id, 'm1'));
        expect(started.data.mode).toBe('coaching');
        expect(message.data).toMatchObject({
          sessionId: started.data.sessionId,
          seq: 0,
          role: 'user',
          text: 'hello m1',
        });
      });
  });

  it('adds later messages to the open session, in order', () => {
    spec([userMessage('m1', 0), userMessage('m2', 5)])
      .when(userMessage('m3', 10))
      .thenEmits((drafts) => {
        expect(drafts).toHaveLength(1);
        expect(drafts[0]).toMatchObject({
          type: 'MessageReceived',
          data: { seq: 2, sessionId: sessionFor(dm.id, 'm1') },
        });
      });
  });

  it('records a redelivered message once', () => {
    spec([userMessage('m1', 0)])
      .when(userMessage('m1', 0))
      .thenEmits((drafts) => expect(drafts).toEqual([]));
  });

  it('ends an idle DM session after the inactivity timeout and starts a new one', () => {
    spec([userMessage('m1', 0), userMessage('m2', 10)])
      .when(userMessage('m3', 41))
      .thenEmits((drafts) => {
        expect(drafts.map((d) => d.type)).toEqual(['SessionEnded', 'SessionStarted', 'MessageReceived']);
        expect(drafts[0]).toMatchObject({
          data: { reason: 'inactivity', endedAt: at(40), sessionId: sessionFor(dm.id, 'm1') },
        });
        expect(drafts[1]).toMatchObject({ data: { sessionId: sessionFor(dm.id, 'm3') } });
        expect(drafts[2]).toMatchObject({ data: { seq: 0 } });
      });
  });

  it('keeps a thread session open however long the pause', () => {
    spec([userMessage('m1', 0, thread)])
      .when(userMessage('m2', 24 * 60, thread))
      .thenEmits((drafts) => expect(drafts.map((d) => d.type)).toEqual(['MessageReceived']));
  });

  it('starts a new session when the user writes after ending one', () => {
    const s1 = sessionFor(dm.id, 'm1');
    spec([userMessage('m1', 0), { type: 'EndSession', conversationId: dm.id, sessionId: s1, reason: 'user' }])
      .when(userMessage('m2', 3))
      .thenEmits((drafts) =>
        expect(drafts.map((d) => d.type)).toEqual(['SessionStarted', 'MessageReceived']),
      );
  });

  it('ends the open session and starts a roleplay when asked to', () => {
    spec([userMessage('m1', 0)])
      .when(
        userMessage('m2', 1, dm, {
          startMode: 'roleplay',
          persona: '価格に厳しい購買担当',
        } as Partial<DialogueCommand>),
      )
      .thenEmits((drafts) => {
        expect(drafts.map((d) => d.type)).toEqual(['SessionEnded', 'SessionStarted', 'MessageReceived']);
        expect(drafts[1]).toMatchObject({ data: { mode: 'roleplay', persona: '価格に厳しい購買担当' } });
      });
  });

  it('records one assistant reply per user message', () => {
    const s1 = sessionFor(dm.id, 'm1');
    const reply: DialogueCommand = {
      type: 'RecordAssistantReply',
      conversationId: dm.id,
      sessionId: s1,
      replyTo: 'm1',
      text: 'advice',
      citations: [],
    };
    spec([userMessage('m1', 0)])
      .when(reply, at(1))
      .thenEmits((drafts) =>
        expect(drafts[0]).toMatchObject({
          type: 'MessageReceived',
          data: { role: 'assistant', seq: 1, replyTo: 'm1', messageId: 'reply:m1', sentAt: at(1) },
        }),
      );
    spec([userMessage('m1', 0), reply])
      .when(reply)
      .thenEmits((drafts) => expect(drafts).toEqual([]));
  });

  it('refuses a reply to an ended session, and a reply to an unknown message', () => {
    const s1 = sessionFor(dm.id, 'm1');
    spec([userMessage('m1', 0), { type: 'EndSession', conversationId: dm.id, sessionId: s1, reason: 'user' }])
      .when({
        type: 'RecordAssistantReply',
        conversationId: dm.id,
        sessionId: s1,
        replyTo: 'm1',
        text: 'late',
        citations: [],
      })
      .thenThrows('SESSION_ENDED');
    spec([userMessage('m1', 0)])
      .when({
        type: 'RecordAssistantReply',
        conversationId: dm.id,
        sessionId: s1,
        replyTo: 'nope',
        text: 'x',
        citations: [],
      })
      .thenThrows('NOT_FOUND');
  });

  it('takes one closing reply (the scorecard) after a roleplay session ended', () => {
    const s1 = sessionFor(dm.id, 'm1');
    const roleplay = userMessage('m1', 0, dm, {
      startMode: 'roleplay',
      persona: 'CFO',
    } as Partial<DialogueCommand>);
    const end: DialogueCommand = { type: 'EndSession', conversationId: dm.id, sessionId: s1, reason: 'user' };
    const closing: DialogueCommand = {
      type: 'RecordAssistantReply',
      conversationId: dm.id,
      sessionId: s1,
      replyTo: closingReplyTo(s1),
      text: 'scorecard',
      citations: [],
    };
    spec([roleplay, end])
      .when(closing, at(2))
      .thenEmits((drafts) =>
        expect(drafts).toEqual([
          {
            type: 'MessageReceived',
            data: {
              sessionId: s1,
              messageId: `reply:session-end:${s1}`,
              seq: 1,
              userId: 'U111',
              role: 'assistant',
              text: 'scorecard',
              format: 'markdown',
              replyTo: `session-end:${s1}`,
              citations: [],
              sentAt: at(2),
            },
          },
        ]),
      );
    spec([roleplay, end, closing])
      .when(closing)
      .thenEmits((drafts) => expect(drafts).toEqual([]));
  });

  it('refuses a closing reply while the session is open, and for a coaching session', () => {
    const s1 = sessionFor(dm.id, 'm1');
    const closing: DialogueCommand = {
      type: 'RecordAssistantReply',
      conversationId: dm.id,
      sessionId: s1,
      replyTo: closingReplyTo(s1),
      text: 'scorecard',
      citations: [],
    };
    spec([userMessage('m1', 0, dm, { startMode: 'roleplay' } as Partial<DialogueCommand>)])
      .when(closing)
      .thenThrows('VALIDATION');
    spec([userMessage('m1', 0), { type: 'EndSession', conversationId: dm.id, sessionId: s1, reason: 'user' }])
      .when(closing)
      .thenThrows('VALIDATION');
  });

  it('ends a session once', () => {
    const s1 = sessionFor(dm.id, 'm1');
    const end: DialogueCommand = { type: 'EndSession', conversationId: dm.id, sessionId: s1, reason: 'user' };
    spec([userMessage('m1', 0)])
      .when(end)
      .thenEmits((d) => expect(d.map((x) => x.type)).toEqual(['SessionEnded']));
    spec([userMessage('m1', 0), end])
      .when(end)
      .thenEmits((d) => expect(d).toEqual([]));
    spec([]).when(end).thenThrows('NOT_FOUND');
  });

  it('derives one insight per exchange, also after the session ended', () => {
    const s1 = sessionFor(dm.id, 'm1');
    const insight: DialogueCommand = {
      type: 'RecordInsight',
      conversationId: dm.id,
      insight: {
        sessionId: s1,
        userId: 'U111',
        basedOnMessageId: 'm1',
        scores: { hearing: 3, proposal: 2, objection_handling: 4, closing: 1, relationship: 5 },
        strengths: ['s'],
        improvements: ['i'],
        nextActions: ['n'],
        summary: 'sum',
        model: 'mock-coach-1',
        rubric: { id: 'core', version: 1 },
        provider: 'mock',
        promptHash: null,
        origin: 'live',
      },
      skillKeys: [...skillKeys],
    };
    spec([userMessage('m1', 0), { type: 'EndSession', conversationId: dm.id, sessionId: s1, reason: 'user' }])
      .when(insight)
      .thenEmits((d) =>
        expect(d[0]).toMatchObject({
          type: 'InsightDerived',
          data: { insightId: deterministicId('insight', `${s1}/m1`) },
        }),
      );
    spec([userMessage('m1', 0), insight])
      .when(insight)
      .thenEmits((d) => expect(d).toEqual([]));
  });

  it('takes feedback on replies only, and a repeated rating once', () => {
    const s1 = sessionFor(dm.id, 'm1');
    const reply: DialogueCommand = {
      type: 'RecordAssistantReply',
      conversationId: dm.id,
      sessionId: s1,
      replyTo: 'm1',
      text: 'advice',
      citations: [],
    };
    const up: DialogueCommand = {
      type: 'GiveFeedback',
      conversationId: dm.id,
      sessionId: s1,
      messageId: 'reply:m1',
      userId: 'U111',
      rating: 'up',
      comment: null,
    };
    spec([userMessage('m1', 0), reply])
      .when(up)
      .thenEmits((d) => expect(d[0]).toMatchObject({ type: 'FeedbackGiven', data: { rating: 'up' } }));
    spec([userMessage('m1', 0), reply, up])
      .when(up)
      .thenEmits((d) => expect(d).toEqual([]));
    spec([userMessage('m1', 0), reply, up])
      .when({ ...up, rating: 'down' } as DialogueCommand)
      .thenEmits((d) => expect(d[0]).toMatchObject({ data: { rating: 'down' } }));
    spec([userMessage('m1', 0)])
      .when({ ...up, messageId: 'm1' } as DialogueCommand)
      .thenThrows('NOT_FOUND');
  });
});

describe('event stamping', () => {
  it('gives the same ids to the same command and different ids to different commands', () => {
    const drafts = decideDialogue(userMessage('m1', 0), initialDialogueState(), {
      metadata: meta(at(0)),
      inactivityMs: minutes(30),
    });
    const a = stampEvents(drafts, meta(at(0), 'slack-Ev1'));
    const b = stampEvents(drafts, meta(at(0), 'slack-Ev1'));
    const c = stampEvents(drafts, meta(at(0), 'slack-Ev2'));
    expect(a.map((e) => e.metadata.eventId)).toEqual(b.map((e) => e.metadata.eventId));
    expect(a[0]!.metadata.eventId).not.toBe(c[0]!.metadata.eventId);
    expect(a[0]!.metadata.eventId).not.toBe(a[1]!.metadata.eventId);
    expect(a[1]!.metadata.subjectId).toBe('U111');
  });
});
