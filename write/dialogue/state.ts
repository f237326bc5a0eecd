import {
  type ConversationSessionOpenedData,
  insightBasisKey,
  type SalesEvent,
} from '../../schemas/events/index.ts';

export type SessionInfo = {
  readonly id: string;
  readonly userId: string;
  readonly mode: 'coaching' | 'roleplay';
  readonly startedAt: string;
  readonly lastActivityAt: string;
  readonly nextSeq: number;
  readonly ended: boolean;
  readonly userMessages: readonly string[];
  readonly assistantMessages: readonly string[];
  /** User message ids that already have a reply. */
  readonly repliedTo: readonly string[];
  /** basedOnMessageId (or `session`) of insights already derived. */
  readonly insightsFor: readonly string[];
  /** `messageId:userId` → last rating. */
  readonly feedback: Readonly<Record<string, 'up' | 'down'>>;
};

export type DialogueState = {
  readonly conversationId: string | null;
  /** The newest session, open or ended. */
  readonly current: SessionInfo | null;
  /** Every session of the conversation by id (a conversation holds few). */
  readonly sessions: Readonly<Record<string, SessionInfo>>;
  /** Recent user message ids across sessions: a redelivered message is recognised. */
  readonly recentMessageIds: readonly string[];
};

export const initialDialogueState = (): DialogueState => ({
  conversationId: null,
  current: null,
  sessions: {},
  recentMessageIds: [],
});

const RECENT_LIMIT = 500;

/** ISO timestamps may carry different offsets, so they are compared as instants. */
const laterOf = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);

const withSession = (state: DialogueState, session: SessionInfo): DialogueState => ({
  ...state,
  current: state.current === null || state.current.id === session.id ? session : state.current,
  sessions: { ...state.sessions, [session.id]: session },
});

export const evolveDialogue = (state: DialogueState, event: SalesEvent): DialogueState => {
  switch (event.type) {
    case 'SessionStarted': {
      const session: SessionInfo = {
        id: event.data.sessionId,
        userId: event.data.userId,
        mode: event.data.mode,
        startedAt: event.data.startedAt,
        lastActivityAt: event.data.startedAt,
        nextSeq: 0,
        ended: false,
        userMessages: [],
        assistantMessages: [],
        repliedTo: [],
        insightsFor: [],
        feedback: {},
      };
      return {
        ...state,
        conversationId: event.data.conversation.id,
        current: session,
        sessions: { ...state.sessions, [session.id]: session },
      };
    }
    case 'MessageReceived': {
      const session = state.sessions[event.data.sessionId];
      if (!session) return state;
      const isUser = event.data.role === 'user';
      const next: SessionInfo = {
        ...session,
        lastActivityAt: laterOf(event.data.sentAt, session.lastActivityAt),
        nextSeq: Math.max(session.nextSeq, event.data.seq + 1),
        userMessages: isUser ? [...session.userMessages, event.data.messageId] : session.userMessages,
        assistantMessages: isUser
          ? session.assistantMessages
          : [...session.assistantMessages, event.data.messageId],
        repliedTo:
          !isUser && event.data.replyTo !== null
            ? [...session.repliedTo, event.data.replyTo]
            : session.repliedTo,
      };
      const recent = isUser
        ? [...state.recentMessageIds, event.data.messageId].slice(-RECENT_LIMIT)
        : state.recentMessageIds;
      return { ...withSession(state, next), recentMessageIds: recent };
    }
    case 'InsightDerived': {
      const session = state.sessions[event.data.sessionId];
      if (!session) return state;
      return withSession(state, {
        ...session,
        insightsFor: [...session.insightsFor, insightBasisKey(event.data)],
      });
    }
    case 'SessionEnded': {
      const session = state.sessions[event.data.sessionId];
      if (!session) return state;
      return withSession(state, { ...session, ended: true });
    }
    case 'FeedbackGiven': {
      const session = state.sessions[event.data.sessionId];
      if (!session) return state;
      return withSession(state, {
        ...session,
        feedback: {
          ...session.feedback,
          [`${event.data.messageId}:${event.data.userId}`]: event.data.rating,
        },
      });
    }
    case 'KnowledgeDocumentPublished':
    case 'KnowledgeDocumentRetracted':
    case 'RubricPublished':
    case 'TeamRubricChosen':
    // Lives in the conversation stream: read by openedState, never folded with a session.
    case 'ConversationSessionOpened':
    // In a session's reviews stream (write/reviews), never in a dialogue stream.
    case 'ManagerReviewGiven':
    // Streams of their own (a rep's targets, digest preference and weekly digests).
    case 'SkillTargetSet':
    case 'SkillTargetCleared':
    case 'DigestPreferenceChanged':
    case 'WeeklyDigestSent':
      return state;
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

/**
 * The state a session stream is folded on, from the conversation stream's newest event: the
 * carried-over message ids and the session (as it starts, or as it stood in the single stream).
 */
export const openedState = (opened: ConversationSessionOpenedData): DialogueState => {
  const { snapshot } = opened;
  const session: SessionInfo = {
    id: opened.sessionId,
    userId: opened.userId,
    mode: opened.mode,
    startedAt: opened.startedAt,
    lastActivityAt: snapshot?.lastActivityAt ?? opened.startedAt,
    nextSeq: snapshot?.nextSeq ?? 0,
    ended: snapshot?.ended ?? false,
    userMessages: snapshot?.userMessages ?? [],
    assistantMessages: snapshot?.assistantMessages ?? [],
    repliedTo: snapshot?.repliedTo ?? [],
    insightsFor: snapshot?.insightsFor ?? [],
    feedback: snapshot?.feedback ?? {},
  };
  return {
    conversationId: opened.conversation.id,
    current: session,
    sessions: { [session.id]: session },
    recentMessageIds: opened.recentMessageIds.slice(-RECENT_LIMIT),
  };
};
