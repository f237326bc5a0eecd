import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../schemas/logger.ts';
import type { KnownBlock } from '../blocks/block-types.ts';
import { type FeedbackStyle, type ReplyFooter, replyFooterBlocks } from '../blocks/reply.ts';
import { slackErrorCode } from '../web/errors.ts';

/**
 * Which feedback element replies carry. Slack's native element is used until a workspace
 * refuses it (`invalid_blocks`); from then on, this process uses plain buttons.
 */
export class FeedbackChoice {
  private current: FeedbackStyle;
  private readonly logger: Logger;

  constructor(initial: FeedbackStyle, logger: Logger) {
    this.current = initial;
    this.logger = logger;
  }

  get style(): FeedbackStyle {
    return this.current;
  }

  /** Runs `send` with the footer; on `invalid_blocks` with the native element, once more with buttons. */
  async withFooter<T>(
    footer: Omit<ReplyFooter, 'feedback'>,
    send: (blocks: KnownBlock[]) => Promise<T>,
  ): Promise<T> {
    const style = this.current;
    try {
      return await send(replyFooterBlocks({ ...footer, feedback: style }));
    } catch (error) {
      if (style !== 'native' || slackErrorCode(error) !== 'invalid_blocks') throw error;
      this.current = 'buttons';
      this.logger.warn(
        'Slack refused the native feedback buttons (invalid_blocks); using plain buttons from now on',
      );
      return send(replyFooterBlocks({ ...footer, feedback: 'buttons' }));
    }
  }
}

export type Delivery = {
  client: WebClient;
  channel: string;
  /** The thread to post in; null for the top level of a DM. */
  threadTs: string | null;
  /** A message already showing this reply (the placeholder, or a stream that broke): updated first. */
  existingTs: string | null;
  /** mrkdwn, one message each. */
  pieces: readonly string[];
  /** Under the last piece; null for none (apologies). */
  footer: Omit<ReplyFooter, 'feedback'> | null;
  feedback: FeedbackChoice;
  /** Message metadata for the first piece when it is posted as a new message. */
  metadata?: { event_type: string; event_payload: Record<string, string> };
};

/**
 * Shows a reply's pieces: the first in the existing message when there is one (a refused update
 * falls back to a new message), the others as new messages after it, the footer under the last.
 * Returns the ts of the first message.
 */
export const deliverPieces = async (d: Delivery): Promise<string | null> => {
  let first: string | null = null;
  for (const [i, text] of d.pieces.entries()) {
    const send = async (footer: KnownBlock[]) => {
      const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text } }, ...footer];
      if (i === 0 && d.existingTs) {
        try {
          await d.client.chat.update({ channel: d.channel, ts: d.existingTs, text, blocks });
          return d.existingTs;
        } catch (error) {
          if (slackErrorCode(error) === 'invalid_blocks') throw error;
        }
      }
      const posted = await d.client.chat.postMessage({
        channel: d.channel,
        text,
        blocks,
        ...(i === 0 && d.metadata ? { metadata: d.metadata } : {}),
        ...(d.threadTs ? { thread_ts: d.threadTs } : {}),
        unfurl_links: false,
        unfurl_media: false,
      });
      return posted.ts ?? null;
    };
    const last = i === d.pieces.length - 1;
    const ts = last && d.footer ? await d.feedback.withFooter(d.footer, send) : await send([]);
    first ??= ts;
  }
  return first;
};
