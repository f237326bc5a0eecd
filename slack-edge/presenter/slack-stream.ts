import type { AnyChunk, KnownBlock } from '../blocks/block-types.ts';
import type { SlackClient } from '../web/client.ts';
import { slackErrorCode } from '../web/errors.ts';

export type StreamTarget = {
  channel: string;
  threadTs: string;
  teamId: string;
  userId: string;
};

/**
 * Slack ended the stream (it expires about five minutes after it started): nothing more can be
 * appended or stopped there, and the rest of the reply goes in a new message.
 */
export const streamClosed = (error: unknown) => slackErrorCode(error) === 'message_not_in_streaming_state';

/**
 * One streamed message through chat.startStream / appendStream / stopStream, without a buffer of
 * its own: a call either succeeds and Slack holds what it carried, or fails and holds none of it,
 * which is what lets the reply know exactly how much of its text Slack shows.
 */
export class SlackStream {
  private started: string | null = null;
  private readonly client: SlackClient;
  private readonly target: StreamTarget;

  constructor(client: SlackClient, target: StreamTarget) {
    this.client = client;
    this.target = target;
  }

  /** The streamed message's ts, once started. */
  get ts(): string | null {
    return this.started;
  }

  /** Sends chunks: the first call starts the stream with them, the others append. */
  async send(chunks: AnyChunk[]): Promise<void> {
    if (this.started) {
      await this.client.chat.appendStream({ channel: this.target.channel, ts: this.started, chunks });
      return;
    }
    const started = await this.client.chat.startStream({
      channel: this.target.channel,
      thread_ts: this.target.threadTs,
      recipient_team_id: this.target.teamId,
      recipient_user_id: this.target.userId,
      // Steps show together as a plan above the answer.
      task_display_mode: 'plan',
      chunks,
    });
    this.started = started.ts ?? null;
    if (!this.started) throw new Error('chat.startStream answered without a ts');
  }

  /** Ends the started stream with its last chunks and the blocks under the message. */
  async stop(chunks: AnyChunk[], blocks: KnownBlock[]): Promise<void> {
    if (!this.started) throw new Error('the stream was not started');
    await this.client.chat.stopStream({
      channel: this.target.channel,
      ts: this.started,
      ...(chunks.length > 0 ? { chunks } : {}),
      blocks,
    });
  }
}
