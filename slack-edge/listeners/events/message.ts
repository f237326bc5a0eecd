import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { Conversation } from '../../../schemas/events/index.ts';
import { channelKindOf, conversationOf } from '../../conversation.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { conversationState, recordUserMessage } from '../../record-message.ts';
import { mentions, slackTextToPlain } from '../../text/slack-text.ts';
import { digestToggleOf, toggleDigestByMessage } from './digest-toggle.ts';
import { botUserIdOf, EventEnvelope } from './envelope.ts';

const MessageEvent = z.looseObject({
  type: z.literal('message'),
  subtype: z.string().optional(),
  channel: z.string().min(1),
  channel_type: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().default(''),
  ts: z.string().min(1),
  thread_ts: z.string().optional(),
});

/** Messages a person wrote; edits, deletions, joins and bot posts have other subtypes. */
const personSubtypes: ReadonlySet<string | undefined> = new Set([
  undefined,
  'file_share',
  'thread_broadcast',
]);

/** A person's message the coach recorded: where, by whom, and whether it was new. */
export type RecordedMessage = { conversation: Conversation; userId: string; text: string; isNew: boolean };

/**
 * `message.im`: every DM is for the coach (top level or a thread, the assistant pane included).
 * `message.channels` / `message.groups`: a reply in a thread is a follow-up for the coach, without
 * a new mention, when the thread's conversation exists (the bot was mentioned there), its session
 * is still open, and the writer is the rep the session is with. Messages that mention the bot are
 * left to `app_mention`, which Slack sends for them too. Null when the message is not for the coach.
 */
export const recordMessageEvent = async (
  deps: SlackEdgeDeps,
  {
    body,
    event,
    context,
  }: Pick<SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs, 'body' | 'event' | 'context'>,
): Promise<RecordedMessage | null> => {
  const parsed = MessageEvent.safeParse(event);
  const envelope = EventEnvelope.safeParse(body);
  if (!parsed.success || !envelope.success) return null;
  const m = parsed.data;
  const botUserId = botUserIdOf(context, envelope.data);
  if (!personSubtypes.has(m.subtype) || m.bot_id || !m.user || m.user === botUserId) return null;
  const kind = channelKindOf(m.channel, m.channel_type);
  if (kind !== 'im') {
    if (!m.thread_ts || m.thread_ts === m.ts) return null;
    if (botUserId && mentions(m.text, botUserId)) return null;
  }
  const text = slackTextToPlain(m.text, botUserId);
  if (text === '') return null;
  // 「ダイジェスト停止」/ "digest off" in the DM itself switches the weekly digest, not the coach.
  const digest = kind === 'im' && !m.thread_ts ? digestToggleOf(text) : null;
  if (digest !== null) {
    await toggleDigestByMessage(deps, {
      userId: m.user,
      channel: m.channel,
      enabled: digest,
      eventId: envelope.data.event_id,
    });
    return null;
  }
  const conversation = conversationOf(envelope.data.team_id, m.channel, kind, m.ts, m.thread_ts);
  if (kind !== 'im') {
    const state = await conversationState(deps, conversation.id);
    const session = state.current;
    if (!session || session.ended || session.userId !== m.user) return null;
  }
  const isNew = await recordUserMessage(deps, {
    conversation,
    userId: m.user,
    ts: m.ts,
    text,
    eventId: envelope.data.event_id,
    eventTime: envelope.data.event_time,
  });
  return { conversation, userId: m.user, text, isNew };
};

export const message =
  (deps: SlackEdgeDeps) => async (args: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs) => {
    await recordMessageEvent(deps, args);
  };
