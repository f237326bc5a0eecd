import type { ChatStreamer } from '@slack/web-api';
import type { Citation } from '../../schemas/events/index.ts';
import type { ReplyStream } from '../../write/agent/ports.ts';
import type { KnownBlock } from '../blocks/block-types.ts';
import { replyPieces } from '../blocks/reply.ts';
import { textsFor } from '../text/messages.ts';
import { slackErrorCode } from '../web/errors.ts';
import { footerFor, type ReplyJob } from './context.ts';
import { deliverPieces } from './post.ts';
import { Serial } from './serial.ts';
import { StreamLines } from './stream-lines.ts';

export type ThreadReplyOptions = {
  /** How much of a reply is streamed into one message; the rest follows as posted messages. */
  streamCap: number;
  /** Characters gathered before a streaming call (fewer calls, fewer rate limits). */
  bufferSize: number;
};

/**
 * A reply in a thread (a channel thread, a DM thread, an assistant thread): the thinking status
 * at once, then the answer streamed into one message as the model writes it, finished with the
 * footer. Whatever goes wrong with streaming (not allowed here, an error, a reply too long), the
 * answer is still shown: the streamed message is completed or replaced, or a message is posted.
 */
export const threadReply = (job: ReplyJob, threadTs: string, options: ThreadReplyOptions): ReplyStream => {
  const { client, channel, context } = job;
  const t = textsFor(context.language);
  const slack = new Serial();
  const lines = new StreamLines();
  let streamer: ChatStreamer | null = null;
  // An earlier attempt's message is completed in place rather than streamed again.
  let streaming = job.earlierTs === null;
  // Past the cap, no more text goes into the stream (what was accepted still does).
  let capped = false;
  let streamTs: string | null = job.earlierTs;
  let streamed = 0;

  slack.run(async () => {
    try {
      await client.assistant.threads.setStatus({
        channel_id: channel,
        thread_ts: threadTs,
        status: t.thinkingStatus,
        loading_messages: t.loading,
      });
    } catch (error) {
      // Not every thread allows it (a channel without the assistant feature): the answer still comes.
      job.logger.debug({ err: error }, 'slack: no thinking status in this thread');
    }
  });

  const send = (markdown: string) => {
    if (!streaming || capped || markdown === '') return;
    if (streamed + markdown.length > options.streamCap) {
      capped = true;
      return;
    }
    streamed += markdown.length;
    slack.run(async () => {
      if (!streaming) return;
      try {
        streamer ??= client.chatStream({
          channel,
          thread_ts: threadTs,
          recipient_team_id: context.conversation.teamId,
          recipient_user_id: context.userId,
          buffer_size: options.bufferSize,
        });
        await streamer.append({ markdown_text: markdown });
        if (streamer.ts && streamTs !== streamer.ts) {
          streamTs = streamer.ts;
          await job.ledger.messagePosted(job.key, streamTs);
        }
      } catch (error) {
        streaming = false;
        job.logger.warn({ err: error }, 'slack: streaming failed; the reply will be posted instead');
      }
    });
  };

  /**
   * Ends the stream with the footer; false when that was not possible. A refused footer
   * (`invalid_blocks`) is thrown, for FeedbackChoice to try again with plain buttons: the text is
   * already in the streamer's buffer, so the second stop sends nothing twice.
   */
  const stopStream = async (active: ChatStreamer, footer: KnownBlock[]): Promise<boolean> => {
    try {
      await active.stop({ blocks: footer });
      streamTs ??= active.ts ?? null;
      return true;
    } catch (error) {
      if (slackErrorCode(error) === 'invalid_blocks') throw error;
      job.logger.warn({ err: error }, 'slack: could not finish the stream; replacing it');
      streaming = false;
      return false;
    }
  };

  /** Stops a stream that will not be completed (so Slack does not show it as still being written). */
  const abandonStream = async () => {
    if (!streamTs) return;
    try {
      await client.chat.stopStream({ channel, ts: streamTs });
    } catch {
      // Already stopped, or never a stream (an earlier attempt's posted message).
    }
  };

  const show = async (text: string, citations: Citation[] | null) => {
    await slack.idle();
    const tail = lines.flush();
    const active = streamer as ChatStreamer | null;
    // Everything the model wrote went into the stream: finish it there, footer included.
    if (citations && streaming && !capped && active && streamed + tail.length <= options.streamCap) {
      let buffered = true;
      if (tail) {
        try {
          await active.append({ markdown_text: tail });
        } catch (error) {
          job.logger.warn({ err: error }, 'slack: streaming failed at the end; replacing it');
          buffered = false;
        }
      }
      const footer = footerFor(job, citations);
      if (buffered && (await job.feedback.withFooter(footer, (blocks) => stopStream(active, blocks)))) {
        await job.ledger.finished(job.key, streamTs);
        return;
      }
    }
    await abandonStream();
    const first = await deliverPieces({
      client,
      channel,
      threadTs,
      existingTs: streamTs,
      pieces: replyPieces(text),
      footer: citations ? footerFor(job, citations) : null,
      feedback: job.feedback,
    });
    await job.ledger.finished(job.key, streamTs ?? first);
  };

  return {
    append: (delta) => {
      send(lines.push(delta));
    },
    finish: (text, citations) => show(text, citations),
    fail: (apology) => show(apology, null),
  };
};
