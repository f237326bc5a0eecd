import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { isAppError } from '../../../schemas/errors.ts';
import { channelKindOf, conversationOf } from '../../conversation.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { recordUserMessage } from '../../record-message.ts';
import { textsFor } from '../../text/messages.ts';
import { slackTextToPlain } from '../../text/slack-text.ts';
import { botUserIdOf, EventEnvelope } from './envelope.ts';

const AppMention = z.looseObject({
  type: z.literal('app_mention'),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().default(''),
  ts: z.string().min(1),
  channel: z.string().min(1),
  thread_ts: z.string().optional(),
});

/**
 * A mention in a channel: the question is recorded in the conversation of its thread (a mention
 * outside a thread starts one on itself), so the reply goes there. Bots are not answered. A
 * mention inside another rep's open session is refused by the decider: the person who wrote it
 * gets a private note (only they see it), and nothing of theirs joins that rep's session.
 */
export const appMention =
  (deps: SlackEdgeDeps) =>
  async ({ body, event, context }: SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs) => {
    const mention = AppMention.safeParse(event);
    const envelope = EventEnvelope.safeParse(body);
    if (!mention.success || !envelope.success) {
      deps.logger.warn('slack: an app_mention event of an unexpected shape; ignored');
      return;
    }
    const m = mention.data;
    const botUserId = botUserIdOf(context, envelope.data);
    if (m.bot_id || !m.user || m.user === botUserId) return;
    const text = slackTextToPlain(m.text, botUserId);
    if (text === '') return;
    const conversation = conversationOf(
      envelope.data.team_id,
      m.channel,
      channelKindOf(m.channel),
      m.ts,
      m.thread_ts,
    );
    try {
      await recordUserMessage(deps, {
        conversation,
        userId: m.user,
        ts: m.ts,
        text,
        eventId: envelope.data.event_id,
        eventTime: envelope.data.event_time,
      });
    } catch (error) {
      if (!isAppError(error, 'FORBIDDEN')) throw error;
      const t = textsFor(await deps.languageOf(m.user));
      await deps.client.chat.postEphemeral({
        channel: m.channel,
        user: m.user,
        text: t.someoneElsesThread,
        ...(conversation.threadTs ? { thread_ts: conversation.threadTs } : {}),
      });
    }
  };
