import { AppError } from '../../../schemas/errors.ts';
import type { Citation, EventOf } from '../../../schemas/events/index.ts';
import type { EventCodec } from '../../event-store/codec.ts';
import type { EventStore, RecordedEvent } from '../../event-store/port.ts';
import type { SessionCache, SessionMeta } from './session-cache.ts';

export type StreamReader = { store: EventStore; codec: EventCodec };

export type SessionMessage = {
  messageId: string;
  role: 'user' | 'assistant';
  text: string;
  seq: number;
  replyTo: string | null;
};

export type SessionView = {
  meta: SessionMeta;
  /**
   * The session's messages up to the revision asked for, oldest first. A long session is cut to
   * its newest messages, but its first message is always there (it states the deal, or the persona).
   */
  messages: SessionMessage[];
};

const pageSize = 100;

export const sessionMetaOf = (event: EventOf<'SessionStarted'>, record: RecordedEvent): SessionMeta => ({
  sessionId: event.data.sessionId,
  streamId: record.streamId,
  conversation: event.data.conversation,
  userId: event.data.userId,
  mode: event.data.mode,
  persona: event.data.persona,
  startRevision: record.revision,
});

const messageOf = (event: EventOf<'MessageReceived'>): SessionMessage => ({
  messageId: event.data.messageId,
  role: event.data.role,
  text: event.data.text,
  seq: event.data.seq,
  replyTo: event.data.replyTo,
});

/**
 * Reads a session from its dialogue stream, backwards from `uptoRevision`: only as far as the
 * session's start (known from the cache, or found on the way), and decoding only the events it
 * needs, so a long-lived DM conversation costs no more than its current session.
 */
export const loadSession = async (
  { store, codec }: StreamReader,
  cache: SessionCache,
  streamId: string,
  sessionId: string,
  uptoRevision: bigint,
  maxMessages = 60,
): Promise<SessionView> => {
  let meta = cache.get(sessionId) ?? null;
  const newestFirst: SessionMessage[] = [];
  let from = uptoRevision;
  scan: while (from >= 0n) {
    const page = await store.readStream(streamId, {
      fromRevision: from,
      direction: 'backwards',
      maxCount: pageSize,
    });
    for (const record of page) {
      if (meta && record.revision < meta.startRevision) break scan;
      if (record.type === 'MessageReceived') {
        if (newestFirst.length >= maxMessages) {
          if (meta) break scan;
          continue;
        }
        const event = await codec.decode(record);
        if (event.type === 'MessageReceived' && event.data.sessionId === sessionId)
          newestFirst.push(messageOf(event));
      } else if (record.type === 'SessionStarted') {
        const event = await codec.decode(record);
        if (event.type === 'SessionStarted' && event.data.sessionId === sessionId) {
          meta = sessionMetaOf(event, record);
          cache.set(meta);
          break scan;
        }
      }
    }
    const oldest = page.at(-1);
    if (!oldest || page.length < pageSize) break;
    from = oldest.revision - 1n;
  }
  if (!meta) throw new AppError('NOT_FOUND', `session ${sessionId} has no SessionStarted in ${streamId}`);
  const messages = newestFirst.reverse();
  if (messages[0]?.seq !== 0) {
    const head = await store.readStream(streamId, { fromRevision: meta.startRevision, maxCount: 8 });
    for (const record of head) {
      if (record.type !== 'MessageReceived') continue;
      const event = await codec.decode(record);
      if (event.type === 'MessageReceived' && event.data.sessionId === sessionId && event.data.seq === 0) {
        messages.unshift(messageOf(event));
        break;
      }
    }
  }
  return { meta, messages };
};

/** A reply as recorded: what the rep must be shown. */
export type RecordedReply = { text: string; citations: Citation[] };

/** What happened in a session after a given event: replies, insights, its end. */
export type Followers = {
  /** replyTo → the reply. */
  replies: Map<string, RecordedReply>;
  /** basedOnMessageId (or `session`) → the insight. */
  insights: Map<string, EventOf<'InsightDerived'>['data']>;
  ended: EventOf<'SessionEnded'>['data'] | null;
};

const followerTypes = new Set(['MessageReceived', 'InsightDerived', 'SessionEnded']);

/**
 * The session's events after `afterRevision` (bounded: they follow within a few events, unless
 * the reactor is far behind; the deciders refuse duplicates anyway, so this only saves LLM calls).
 */
export const readFollowers = async (
  { store, codec }: StreamReader,
  streamId: string,
  sessionId: string,
  afterRevision: bigint,
  maxEvents = 1000,
): Promise<Followers> => {
  const followers: Followers = { replies: new Map(), insights: new Map(), ended: null };
  let from = afterRevision + 1n;
  for (let read = 0; read < maxEvents; ) {
    const page = await store.readStream(streamId, { fromRevision: from, maxCount: 200 });
    for (const record of page) {
      if (!followerTypes.has(record.type)) continue;
      const event = await codec.decode(record);
      if (event.type === 'MessageReceived' && event.data.sessionId === sessionId && event.data.replyTo)
        followers.replies.set(event.data.replyTo, { text: event.data.text, citations: event.data.citations });
      else if (event.type === 'InsightDerived' && event.data.sessionId === sessionId) {
        // A rescore sits beside the live insights; it is not the reply's or the scorecard's.
        if (event.data.origin === 'live')
          followers.insights.set(event.data.basedOnMessageId ?? 'session', event.data);
      } else if (event.type === 'SessionEnded' && event.data.sessionId === sessionId)
        followers.ended = event.data;
    }
    read += page.length;
    const last = page.at(-1);
    if (!last || page.length < 200) break;
    from = last.revision + 1n;
  }
  return followers;
};
