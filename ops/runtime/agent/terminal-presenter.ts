import type { Writable } from 'node:stream';
import type { Citation } from '../../../schemas/events/index.ts';
import type { ReplyContext, ReplyPresenter, ReplyStream } from '../../../write/agent/ports.ts';
import { sourceLines, speakerLabel } from './terminal-output.ts';

export type ShownReply = { replyTo: string; text: string; citations: Citation[]; failed: boolean };

/**
 * Prints the replies of one terminal conversation as the model writes them (`salesai chat`);
 * replies to other conversations (a reactor also serves Slack) are not shown here.
 */
export class TerminalPresenter implements ReplyPresenter {
  private readonly out: Writable;
  private readonly conversationId: string;
  private readonly begun = new Set<string>();
  private readonly listeners = new Set<(reply: ShownReply) => void>();

  constructor(out: Writable, conversationId: string) {
    this.out = out;
    this.conversationId = conversationId;
  }

  /** Whether this presenter has begun showing the reply to `replyTo` (so nobody else prints it). */
  showing(replyTo: string): boolean {
    return this.begun.has(replyTo);
  }

  onShown(listener: (reply: ShownReply) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  begin(context: ReplyContext): ReplyStream {
    const silent: ReplyStream = { append: () => {}, finish: () => {}, fail: () => {} };
    if (context.conversation.id !== this.conversationId) return silent;
    this.begun.add(context.replyTo);
    let started = false;
    const start = () => {
      if (!started) this.out.write(speakerLabel(context.kind, context.language));
      started = true;
    };
    const done = (reply: ShownReply) => {
      for (const listener of this.listeners) listener(reply);
    };
    return {
      append: (delta) => {
        start();
        this.out.write(delta);
      },
      finish: (text, citations) => {
        if (!started) this.out.write(`${speakerLabel(context.kind, context.language)}${text}`);
        const sources = sourceLines(text, citations, context.language);
        this.out.write(`\n${sources.length > 0 ? `${sources.join('\n')}\n` : ''}\n`);
        done({ replyTo: context.replyTo, text, citations, failed: false });
      },
      fail: (apology) => {
        // Whatever was streamed before the failure is cut off; the apology is what was recorded.
        this.out.write(`${started ? '\n' : ''}${speakerLabel(context.kind, context.language)}${apology}\n\n`);
        done({ replyTo: context.replyTo, text: apology, citations: [], failed: true });
      },
    };
  }
}
