import type { Logger } from '../../schemas/logger.ts';
import type { ReplyContext, ReplyPresenter, ReplyStream } from '../../write/agent/ports.ts';
import type { FeedbackStyle } from '../blocks/reply.ts';
import type { SlackClient } from '../web/client.ts';
import { type ReplyJob, silentStream } from './context.ts';
import { dmReply } from './dm-reply.ts';
import { forgivingLedger, type LedgerEntry, type ReplyLedger } from './ledger.ts';
import { findOrphanedMessage } from './orphan.ts';
import { FeedbackChoice } from './post.ts';
import { StepsChoice } from './steps.ts';
import { threadReply } from './thread-reply.ts';

export type SlackPresenterOptions = {
  client: SlackClient;
  ledger: ReplyLedger;
  logger: Logger;
  feedback?: FeedbackStyle;
  /** Show a reply's steps as task updates while it streams (until a workspace refuses them). */
  steps?: boolean;
  /** Characters of a reply streamed into one message (Slack caps a streamed message's text). */
  streamCap?: number;
  /** Characters gathered before each streaming call. */
  streamBufferSize?: number;
};

const slackChannel = /^[CDG][A-Z0-9]+$/;

/**
 * Shows the agent's replies in Slack, in the conversation they answer: in its thread, or at the
 * top level of a DM. Conversations that are not Slack's (`salesai chat`) are left alone. The
 * ledger makes a reply that is written again after a crash reuse the message it already has.
 */
export const createSlackPresenter = (options: SlackPresenterOptions): ReplyPresenter => {
  const feedback = new FeedbackChoice(options.feedback ?? 'native', options.logger);
  const steps = new StepsChoice(options.steps ?? true, options.logger);
  const streamCap = options.streamCap ?? 10_000;
  const bufferSize = options.streamBufferSize ?? 200;
  const ledger = forgivingLedger(options.ledger, options.logger);
  const isSlack = ({ conversation }: ReplyContext) =>
    conversation.channelKind !== 'cli' && slackChannel.test(conversation.channelId);
  const keyOf = ({ conversation, replyTo }: ReplyContext) => `${conversation.id}#${replyTo}`;

  /** The stream showing a reply, given what the ledger knows of earlier attempts at it. */
  const streamFor = async (context: ReplyContext, earlier: LedgerEntry | null): Promise<ReplyStream> => {
    const { conversation } = context;
    const key = keyOf(context);
    const logger = options.logger.child({ conversation: conversation.id, replyTo: context.replyTo });
    // An earlier attempt began and died before recording its message: find that message.
    const earlierTs =
      earlier?.messageTs ??
      (earlier
        ? await findOrphanedMessage({
            client: options.client,
            ledger,
            logger,
            key,
            channel: conversation.channelId,
            threadTs: conversation.threadTs ?? null,
            replyTo: context.replyTo,
          })
        : null);
    if (earlier && earlierTs) await ledger.messagePosted(key, earlierTs);
    const job: ReplyJob = {
      client: options.client,
      ledger,
      logger,
      feedback,
      steps,
      context,
      key,
      channel: conversation.channelId,
      ref: {
        conversationId: conversation.id,
        sessionId: context.sessionId,
        replyTo: context.replyTo,
        ownerId: context.userId,
      },
      kind: context.kind,
      earlierTs,
      continuedFrom: earlier?.continuedFrom ?? null,
    };
    return conversation.threadTs
      ? threadReply(job, conversation.threadTs, { streamCap, bufferSize })
      : dmReply(job);
  };

  return {
    begin: async (context: ReplyContext): Promise<ReplyStream> => {
      if (!isSlack(context)) return silentStream;
      const earlier = await ledger.claim(keyOf(context), context.conversation.channelId);
      if (earlier?.state === 'posted') {
        options.logger.info(
          { replyTo: context.replyTo },
          'slack: this reply was already shown; not posting it again',
        );
        return silentStream;
      }
      return streamFor(context, earlier);
    },
    resume: async (context: ReplyContext): Promise<ReplyStream | null> => {
      if (!isSlack(context)) return null;
      const earlier = await ledger.find(keyOf(context));
      if (earlier?.state !== 'started') return null;
      options.logger.info(
        { replyTo: context.replyTo },
        'slack: completing a reply an interrupted attempt began showing',
      );
      return streamFor(context, earlier);
    },
  };
};
