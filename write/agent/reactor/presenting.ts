import type { Citation } from '../../../schemas/events/index.ts';
import type { Logger } from '../../../schemas/logger.ts';
import type { ReplyContext, ReplyPresenter, ReplyStep, ReplyStream } from '../ports.ts';
import { isTransient } from './transient.ts';

/** A presenter call taking longer than this (a hung Slack request) counts as a failure. */
const presenterTimeoutMs = 15_000;

const withTimeout = async (work: Promise<void> | void): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer in ${presenterTimeoutMs} ms`)),
          presenterTimeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * A presenter's stream that can never break or hold up a reply: each call's failure (or hang)
 * is logged, and after the first one the stream is left alone (the reply is still recorded;
 * the edge can show it from the event).
 */
export class SafeReplyStream {
  private stream: ReplyStream | null;
  private readonly logger: Logger;

  private constructor(stream: ReplyStream | null, logger: Logger) {
    this.stream = stream;
    this.logger = logger;
  }

  static async open(
    presenter: ReplyPresenter | undefined,
    context: ReplyContext,
    logger: Logger,
  ): Promise<SafeReplyStream> {
    if (!presenter) return new SafeReplyStream(null, logger);
    try {
      let stream: ReplyStream | undefined;
      await withTimeout(
        (async () => {
          stream = await presenter.begin(context);
        })(),
      );
      return new SafeReplyStream(stream ?? null, logger);
    } catch (error) {
      // The database restarting: the handling is made again later, never shown without its ledger.
      if (isTransient(error)) throw error;
      logger.warn({ err: error, replyTo: context.replyTo }, 'reply presenter: begin failed');
      return new SafeReplyStream(null, logger);
    }
  }

  /** A stream completing an unfinished earlier presentation of a recorded reply; null for none. */
  static async resume(
    presenter: ReplyPresenter | undefined,
    context: ReplyContext,
    logger: Logger,
  ): Promise<SafeReplyStream | null> {
    if (!presenter?.resume) return null;
    try {
      let stream: ReplyStream | null = null;
      await withTimeout(
        (async () => {
          stream = (await presenter.resume?.(context)) ?? null;
        })(),
      );
      return stream ? new SafeReplyStream(stream, logger) : null;
    } catch (error) {
      if (isTransient(error)) throw error;
      logger.warn({ err: error, replyTo: context.replyTo }, 'reply presenter: resume failed');
      return null;
    }
  }

  get streaming(): boolean {
    return this.stream !== null;
  }

  private async call(what: string, run: (stream: ReplyStream) => Promise<void> | void): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    try {
      await withTimeout(run(stream));
    } catch (error) {
      this.logger.warn({ err: error }, `reply presenter: ${what} failed; not presenting this reply further`);
      this.stream = null;
    }
  }

  /** A visible step of the reply (knowledge search, writing, scoring), for presenters that show them. */
  step(step: ReplyStep) {
    return this.call('step', (s) => s.step?.(step));
  }

  append(delta: string) {
    return this.call('append', (s) => s.append(delta));
  }

  finish(text: string, citations: Citation[]) {
    return this.call('finish', (s) => s.finish(text, citations)).finally(() => {
      this.stream = null;
    });
  }

  fail(apology: string) {
    return this.call('fail', (s) => s.fail(apology)).finally(() => {
      this.stream = null;
    });
  }
}
