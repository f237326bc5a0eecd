import type { CommandMetadata, CommandOf, DialogueCommand } from '../../schemas/commands.ts';
import { AppError } from '../../schemas/errors.ts';
import { insightBasisKey } from '../../schemas/events/index.ts';
import { checkScores, rubricRefText } from '../../schemas/rubrics.ts';
import type { EventDraft } from '../event-draft.ts';
import { deterministicId } from '../ids.ts';
import { assertSessionOwner } from './ownership.ts';
import type { DialogueState, SessionInfo } from './state.ts';
import { closingReplyTo, isDirectTopLevel } from './stream.ts';

export type DialogueContext = {
  metadata: CommandMetadata;
  /** A DM's session ends after this long without messages (the next message starts a new one). */
  inactivityMs: number;
};

const addMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

const receiveUserMessage = (
  command: CommandOf<'ReceiveUserMessage'>,
  state: DialogueState,
  { inactivityMs }: DialogueContext,
): EventDraft[] => {
  // Slack redelivers; the same message is recorded once.
  if (state.recentMessageIds.includes(command.messageId)) return [];
  const events: EventDraft[] = [];
  let open: SessionInfo | null = state.current && !state.current.ended ? state.current : null;

  if (open && isDirectTopLevel(command.conversation)) {
    const idleSince = Date.parse(open.lastActivityAt);
    if (Date.parse(command.sentAt) - idleSince > inactivityMs) {
      events.push({
        type: 'SessionEnded',
        data: {
          sessionId: open.id,
          userId: open.userId,
          reason: 'inactivity',
          endedAt: addMs(open.lastActivityAt, inactivityMs),
        },
      });
      open = null;
    }
  }
  assertSessionOwner(open, command.userId);
  if (open && command.startMode === 'roleplay') {
    events.push({
      type: 'SessionEnded',
      data: { sessionId: open.id, userId: open.userId, reason: 'user', endedAt: command.sentAt },
    });
    open = null;
  }

  let sessionId: string;
  let seq: number;
  if (open) {
    sessionId = open.id;
    seq = open.nextSeq;
  } else {
    sessionId = deterministicId('session', `${command.conversation.id}/${command.messageId}`);
    seq = 0;
    const mode = command.startMode ?? 'coaching';
    events.push({
      type: 'SessionStarted',
      data: {
        sessionId,
        userId: command.userId,
        conversation: command.conversation,
        mode,
        persona: mode === 'roleplay' ? (command.persona ?? null) : null,
        startedAt: command.sentAt,
      },
    });
  }
  events.push({
    type: 'MessageReceived',
    data: {
      sessionId,
      messageId: command.messageId,
      seq,
      userId: command.userId,
      role: 'user',
      text: command.text,
      format: 'plain',
      replyTo: null,
      citations: [],
      sentAt: command.sentAt,
    },
  });
  return events;
};

const sessionOf = (state: DialogueState, sessionId: string): SessionInfo => {
  const session = state.sessions[sessionId];
  if (!session) throw new AppError('NOT_FOUND', `session ${sessionId} does not exist in this conversation`);
  return session;
};

const recordAssistantReply = (
  command: CommandOf<'RecordAssistantReply'>,
  state: DialogueState,
  { metadata }: DialogueContext,
): EventDraft[] => {
  const session = sessionOf(state, command.sessionId);
  // One reply per user message, whatever redelivers the request.
  if (session.repliedTo.includes(command.replyTo)) return [];
  // A roleplay ended from outside (EndSession, inactivity) still gets its one scorecard.
  const closing = command.replyTo === closingReplyTo(session.id);
  if (closing && !(session.ended && session.mode === 'roleplay')) {
    throw new AppError(
      'VALIDATION',
      `session ${session.id}: a closing reply needs an ended roleplay session`,
    );
  }
  if (session.ended && !closing)
    throw new AppError('SESSION_ENDED', `session ${session.id} has ended and takes no more messages`);
  if (!closing && !session.userMessages.includes(command.replyTo)) {
    throw new AppError('NOT_FOUND', `message ${command.replyTo} is not in session ${session.id}`);
  }
  return [
    {
      type: 'MessageReceived',
      data: {
        sessionId: session.id,
        messageId: `reply:${command.replyTo}`,
        seq: session.nextSeq,
        userId: session.userId,
        role: 'assistant',
        text: command.text,
        format: 'markdown',
        replyTo: command.replyTo,
        citations: command.citations,
        sentAt: metadata.now,
      },
    },
  ];
};

const recordInsight = (
  command: CommandOf<'RecordInsight'>,
  state: DialogueState,
  { metadata }: DialogueContext,
): EventDraft[] => {
  const session = sessionOf(state, command.insight.sessionId);
  const basis = insightBasisKey(command.insight);
  if (session.insightsFor.includes(basis)) return [];
  const problem = checkScores({ skills: command.skillKeys.map((key) => ({ key })) }, command.insight.scores);
  if (problem) {
    throw new AppError('VALIDATION', `insight on ${rubricRefText(command.insight.rubric)}: ${problem}`);
  }
  return [
    {
      type: 'InsightDerived',
      data: {
        ...command.insight,
        insightId: deterministicId('insight', `${session.id}/${basis}`),
        derivedAt: metadata.now,
      },
    },
  ];
};

const endSession = (
  command: CommandOf<'EndSession'>,
  state: DialogueState,
  { metadata }: DialogueContext,
): EventDraft[] => {
  const session = sessionOf(state, command.sessionId);
  if (session.ended) return [];
  return [
    {
      type: 'SessionEnded',
      data: { sessionId: session.id, userId: session.userId, reason: command.reason, endedAt: metadata.now },
    },
  ];
};

const giveFeedback = (
  command: CommandOf<'GiveFeedback'>,
  state: DialogueState,
  { metadata }: DialogueContext,
): EventDraft[] => {
  const session = sessionOf(state, command.sessionId);
  if (!session.assistantMessages.includes(command.messageId)) {
    throw new AppError('NOT_FOUND', `no reply ${command.messageId} in session ${session.id}`);
  }
  if (
    session.feedback[`${command.messageId}:${command.userId}`] === command.rating &&
    command.comment === null
  )
    return [];
  return [
    {
      type: 'FeedbackGiven',
      data: {
        sessionId: session.id,
        messageId: command.messageId,
        userId: command.userId,
        rating: command.rating,
        comment: command.comment,
        givenAt: metadata.now,
      },
    },
  ];
};

/** The dialogue decider: one pure function per command. */
export const decideDialogue = (
  command: DialogueCommand,
  state: DialogueState,
  context: DialogueContext,
): EventDraft[] => {
  switch (command.type) {
    case 'ReceiveUserMessage':
      return receiveUserMessage(command, state, context);
    case 'RecordAssistantReply':
      return recordAssistantReply(command, state, context);
    case 'RecordInsight':
      return recordInsight(command, state, context);
    case 'EndSession':
      return endSession(command, state, context);
    case 'GiveFeedback':
      return giveFeedback(command, state, context);
    default: {
      const exhaustive: never = command;
      throw new AppError('VALIDATION', `unknown command ${(exhaustive as { type: string }).type}`);
    }
  }
};
