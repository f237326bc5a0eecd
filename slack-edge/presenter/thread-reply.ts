import type { Citation } from '../../schemas/events/index.ts';
import type { ReplyStep, ReplyStream } from '../../write/agent/ports.ts';
import type { AnyChunk, KnownBlock, TaskUpdateChunk } from '../blocks/block-types.ts';
import { replyPieces } from '../blocks/reply.ts';
import { textsFor } from '../text/messages.ts';
import { slackErrorCode } from '../web/errors.ts';
import { footerFor, type ReplyJob } from './context.ts';
import { findTaggedMessage, replyMetadata } from './orphan.ts';
import { deliverPieces } from './post.ts';
import { Serial } from './serial.ts';
import { SlackStream, streamClosed } from './slack-stream.ts';
import { taskChunk } from './steps.ts';
import { StreamLines } from './stream-lines.ts';

export type ThreadReplyOptions = {
  /** How much of a reply is streamed into one message; the rest follows as posted messages. */
  streamCap: number;
  /** Characters gathered before a streaming call (fewer calls, fewer rate limits). */
  bufferSize: number;
};

/** Markdown waiting to be streamed, with how far into the reply's text it reaches. */
type Pending = { markdown: string; sourceEnd: number };

/**
 * A reply in a thread (a channel thread, a DM thread, an assistant thread): the thinking status
 * at once, the steps (knowledge search, writing, scoring) as task updates, then the answer
 * streamed into one message as the model writes it, finished with the footer. Whatever goes
 * wrong with streaming (not allowed here, an error, a reply too long), the answer is still shown:
 * the streamed message is completed or replaced, or a message is posted. A stream Slack ends
 * before the answer is complete (it expires after about five minutes) keeps what it shows, and
 * the rest of the answer follows in a new message, recorded in the ledger so that it is posted
 * once across retries and crashes.
 */
export const threadReply = (job: ReplyJob, threadTs: string, options: ThreadReplyOptions): ReplyStream => {
  const { client, channel, context } = job;
  const t = textsFor(context.language);
  const slack = new Serial();
  const lines = new StreamLines();
  const stream = new SlackStream(client, {
    channel,
    threadTs,
    teamId: context.conversation.teamId,
    userId: context.userId,
  });
  // An earlier attempt's message is completed in place rather than streamed again.
  let streaming = job.earlierTs === null;
  // Slack ended the stream: what it accepted stays, the rest goes in a new message.
  let expired = false;
  // Past the cap, no more text goes into the stream (what was accepted still does).
  let capped = false;
  let streamTs: string | null = job.earlierTs;
  let queued = 0;
  // The model's text as written (offsets of `accepted` and `Pending.sourceEnd` are into it).
  let raw = '';
  let accepted = 0;
  let pending: Pending[] = [];
  let pendingTasks: TaskUpdateChunk[] = [];
  let planShown = false;
  const tasks = new Map<string, TaskUpdateChunk>();
  let statusShown = false;

  slack.run(async () => {
    try {
      await client.assistant.threads.setStatus({
        channel_id: channel,
        thread_ts: threadTs,
        status: t.thinkingStatus,
        loading_messages: t.loading,
      });
      statusShown = true;
    } catch (error) {
      // Not every thread allows it (a channel without the assistant feature): the answer still comes.
      job.logger.debug({ err: error }, 'slack: no thinking status in this thread');
    }
  });

  /** What is waiting now (more may arrive while a call is out: only this much is then taken). */
  const waiting = () => {
    const text = [...pending];
    const taskUpdates = job.steps.enabled ? [...pendingTasks] : [];
    const chunks: AnyChunk[] = [];
    // Step updates first, the plan's title with the first of them.
    if (taskUpdates.length > 0) {
      if (!planShown) chunks.push({ type: 'plan_update', title: t.stepsPlan });
      chunks.push(...taskUpdates);
    }
    const markdown = text.map((p) => p.markdown).join('');
    if (markdown) chunks.push({ type: 'markdown_text', text: markdown });
    return { text, markdown, taskUpdates, chunks, withTasks: taskUpdates.length > 0 };
  };

  /** Records what one successful call carried: Slack shows the text up to there. */
  const sent = async ({ text, taskUpdates }: ReturnType<typeof waiting>) => {
    if (text.length > 0) accepted = text.at(-1)!.sourceEnd;
    pending = pending.slice(text.length);
    if (taskUpdates.length > 0) {
      planShown = true;
      pendingTasks = pendingTasks.slice(taskUpdates.length);
    }
    if (stream.ts && streamTs !== stream.ts) {
      streamTs = stream.ts;
      await job.ledger.messagePosted(job.key, streamTs);
    }
  };

  /** A streaming call failed: the steps are dropped if they were the trouble, else streaming stops. */
  const failed = (error: unknown, withTasks: boolean): 'again' | 'stop' => {
    if (withTasks && job.steps.refusedBy(error)) {
      pendingTasks = [];
      return 'again';
    }
    if (streamClosed(error)) expired = true;
    else job.logger.warn({ err: error }, 'slack: streaming failed; the reply will be posted instead');
    streaming = false;
    return 'stop';
  };

  /** Sends what is waiting (once enough text has gathered, or a step changed, or `force`). */
  const flush = (force: boolean) =>
    slack.run(async () => {
      for (;;) {
        if (!streaming) return;
        const now = waiting();
        if (!now.withTasks && (now.markdown === '' || (!force && now.markdown.length < options.bufferSize)))
          return;
        try {
          await stream.send(now.chunks);
          await sent(now);
          return;
        } catch (error) {
          if (failed(error, now.withTasks) === 'stop') return;
        }
      }
    });

  const queue = (markdown: string) => {
    if (!streaming || capped || markdown === '') return;
    if (queued + markdown.length > options.streamCap) {
      capped = true;
      return;
    }
    queued += markdown.length;
    pending.push({ markdown, sourceEnd: lines.source });
  };

  const step = (update: ReplyStep) => {
    if (!job.steps.enabled || !streaming) return;
    const chunk = taskChunk(update, context.language);
    tasks.set(update.id, chunk);
    pendingTasks.push(chunk);
    flush(true);
  };

  /** Steps still running when the reply ends: complete with an answer, failed with an apology. */
  const closeSteps = (status: 'complete' | 'error') => {
    for (const chunk of tasks.values()) {
      if (chunk.status === 'in_progress') pendingTasks.push({ ...chunk, status });
    }
  };

  /**
   * Ends the stream with what is waiting and the footer; false when that was not possible. A
   * refused footer (`invalid_blocks`) is thrown, for FeedbackChoice to try again with plain
   * buttons (the failed call carried nothing Slack kept).
   */
  const stopStream = async (footer: KnownBlock[]): Promise<boolean> => {
    for (;;) {
      const now = waiting();
      try {
        if (!stream.ts) {
          // Started first, so that a failing stop still knows the message that holds the text.
          await stream.send(now.chunks);
          await sent(now);
          continue;
        }
        await stream.stop(now.chunks, footer);
        await sent(now);
        return true;
      } catch (error) {
        if (slackErrorCode(error) === 'invalid_blocks') throw error;
        if (failed(error, now.withTasks) === 'stop') return false;
      }
    }
  };

  /**
   * Stops a stream that will not be completed (so Slack does not show it as still being written),
   * its steps closed.
   */
  const abandonStream = async () => {
    if (!streamTs || expired) return;
    const steps = job.steps.enabled && planShown ? [...pendingTasks] : [];
    try {
      await client.chat.stopStream({ channel, ts: streamTs, ...(steps.length > 0 ? { chunks: steps } : {}) });
    } catch {
      // Already stopped, or never a stream (an earlier attempt's posted message).
    }
  };

  const clearStatus = async () => {
    if (!statusShown) return;
    try {
      await client.assistant.threads.setStatus({ channel_id: channel, thread_ts: threadTs, status: '' });
    } catch (error) {
      job.logger.debug({ err: error }, 'slack: could not clear the thinking status');
    }
  };

  /**
   * The rest of the answer after a stream Slack ended, in a new message tagged with the reply's
   * key (an attempt after a crash finds it and completes it instead of posting another).
   */
  const continueAfter = async (text: string, from: number, citations: Citation[], earlier: boolean) => {
    const rest = text.slice(from).trim();
    const existing = earlier
      ? await findTaggedMessage({
          client,
          logger: job.logger,
          key: job.key,
          channel,
          threadTs,
          replyTo: streamTs ?? context.replyTo,
        })
      : null;
    const first = await deliverPieces({
      client,
      channel,
      threadTs,
      existingTs: existing,
      pieces: replyPieces(`_${t.continued}_\n${rest}`),
      footer: footerFor(job, citations),
      feedback: job.feedback,
      metadata: replyMetadata(job.key),
    });
    await job.ledger.finished(job.key, streamTs ?? first);
  };

  const show = async (text: string, citations: Citation[] | null) => {
    await slack.idle();
    // An earlier attempt's stream ended early and its continuation was begun: complete that.
    if (job.continuedFrom !== null && citations) {
      await continueAfter(text, job.continuedFrom, citations, true);
      await clearStatus();
      return;
    }
    // Text that was never streamed (a scorecard, a note) goes into the stream now.
    if (raw === '' && citations && streaming) {
      raw = text;
      queue(lines.push(text));
    }
    queue(lines.flush());
    const leading = raw.length - raw.trimStart().length;
    const whole = raw.trim() === text.trim();
    if (citations && whole) {
      closeSteps('complete');
      if (streaming && !capped) {
        const done = await job.feedback.withFooter(footerFor(job, citations), (blocks) => stopStream(blocks));
        if (done) {
          await job.ledger.finished(job.key, streamTs);
          await clearStatus();
          return;
        }
      }
      if (expired && streamTs) {
        // The streamed message keeps what Slack accepted; the rest follows.
        const from = Math.max(0, accepted - leading);
        await job.ledger.continuing(job.key, from);
        await continueAfter(text, from, citations, false);
        await clearStatus();
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
    await clearStatus();
  };

  return {
    step,
    append: (delta) => {
      raw += delta;
      queue(lines.push(delta));
      flush(false);
    },
    finish: (text, citations) => show(text, citations),
    fail: (apology) => {
      closeSteps('error');
      return show(apology, null);
    },
  };
};
