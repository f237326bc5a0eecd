import type { Writable } from 'node:stream';
import type { CommandMetadata, DialogueCommand } from '../../../schemas/commands.ts';
import type { Conversation } from '../../../schemas/events/index.ts';
import { type DialogueWriter, sendDialogueCommand } from '../../../write/agent/dialogue-commands.ts';
import { parseUserIntent, sessionModeFields } from '../../../write/agent/intent.ts';
import { detectLanguage, type Language } from '../../../write/agent/language.ts';
import { closingReplyTo, dialogueStreamId } from '../../../write/dialogue/stream.ts';
import { sourceLines, speakerLabel } from './terminal-output.ts';
import type { TerminalPresenter } from './terminal-presenter.ts';

export type ChatSessionOptions = {
  writer: DialogueWriter;
  conversation: Conversation;
  userId: string;
  presenter: TerminalPresenter;
  out: Writable;
  clock?: () => Date;
  /** How long to wait for a reply before giving up on it (the reactor may be down). */
  replyTimeoutMs?: number;
  /** How often the stream is read for a reply written by another process. */
  pollMs?: number;
};

const notices = {
  noSession: { ja: '（進行中のセッションはありません）', en: '(no session in progress)' },
  ended: { ja: '（セッションを終了しました）', en: '(session ended)' },
  timeout: {
    ja: '（返信が届きません。エージェントが動いているか確認してください）',
    en: '(no reply yet: is the agent running?)',
  },
} as const;

type Session = { id: string; mode: 'coaching' | 'roleplay' };

/**
 * One terminal conversation with the agent, through the same commands as Slack: each line is a
 * `ReceiveUserMessage` (a roleplay request starts a roleplay session), `/end` is `EndSession`.
 * Replies are printed by the presenter when this process runs the reactor, or read from the
 * dialogue stream when another process (a running server) does.
 */
export class ChatSession {
  private readonly options: ChatSessionOptions;
  private readonly stamp: number;
  private counter = 0;
  private session: Session | null = null;
  private language: Language = 'ja';
  /** Where the rep's last message went (the stream of its session) and its revision there. */
  private streamId: string | null = null;
  private revision = -1n;

  constructor(options: ChatSessionOptions) {
    this.options = options;
    this.stamp = Math.floor((options.clock ?? (() => new Date()))().getTime() / 1000);
  }

  private now() {
    return (this.options.clock ?? (() => new Date()))().toISOString();
  }

  private metadata(key: string): CommandMetadata {
    return {
      idempotencyKey: key,
      correlationId: key,
      causationId: null,
      now: this.now(),
      actor: { kind: 'user', id: this.options.userId },
    };
  }

  private async send(command: DialogueCommand, key: string) {
    const result = await sendDialogueCommand(this.options.writer, command, this.metadata(key));
    if (result.append) {
      this.streamId = result.streamId;
      this.revision = result.append.nextRevision;
    }
    return result;
  }

  /** Sends one line of the rep; resolves once its reply has been printed (or timed out). */
  async say(text: string): Promise<void> {
    this.language = detectLanguage(text, this.language);
    const messageId = `${this.stamp}.${String(++this.counter).padStart(6, '0')}`;
    const result = await this.send(
      {
        type: 'ReceiveUserMessage',
        conversation: this.options.conversation,
        userId: this.options.userId,
        messageId,
        text,
        sentAt: this.now(),
        ...sessionModeFields(text),
      },
      `cli:${this.options.conversation.id}:${messageId}`,
    );
    for (const event of result.events) {
      if (event.type === 'SessionStarted') this.session = { id: event.data.sessionId, mode: event.data.mode };
      if (event.type === 'MessageReceived' && this.session?.id !== event.data.sessionId)
        this.session = { id: event.data.sessionId, mode: this.session?.mode ?? 'coaching' };
    }
    const roleplay = this.session?.mode === 'roleplay';
    const endsRoleplay = roleplay && parseUserIntent(text).kind === 'end_roleplay';
    await this.waitForReply(messageId, endsRoleplay ? 'scorecard' : roleplay ? 'roleplay' : 'coaching');
    // The agent ends a roleplay the rep finished with 「終了」, after the scorecard.
    if (endsRoleplay && result.events.every((e) => e.type !== 'SessionStarted')) this.session = null;
  }

  /** `/end`: ends the session; a roleplay's scorecard is printed when it comes. */
  async end(): Promise<void> {
    const session = this.session;
    if (!session) {
      this.options.out.write(`${notices.noSession[this.language]}\n`);
      return;
    }
    await this.send(
      {
        type: 'EndSession',
        conversationId: this.options.conversation.id,
        sessionId: session.id,
        reason: 'user',
      },
      `cli:${this.options.conversation.id}:end:${session.id}`,
    );
    this.session = null;
    if (session.mode === 'roleplay') await this.waitForReply(closingReplyTo(session.id), 'scorecard');
    else this.options.out.write(`${notices.ended[this.language]}\n`);
  }

  private waitForReply(replyTo: string, kind: 'coaching' | 'roleplay' | 'scorecard'): Promise<void> {
    const { presenter, out, writer } = this.options;
    const streamId = this.streamId ?? dialogueStreamId(this.options.conversation.id);
    const timeoutMs = this.options.replyTimeoutMs ?? 180_000;
    const pollMs = this.options.pollMs ?? 250;
    return new Promise<void>((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        unsubscribe();
        resolve();
      };
      const unsubscribe = presenter.onShown((reply) => {
        if (reply.replyTo === replyTo) settle();
      });
      const deadline = Date.now() + timeoutMs;
      const poll = async () => {
        if (settled) return;
        if (Date.now() > deadline) {
          out.write(`${notices.timeout[this.language]}\n`);
          return settle();
        }
        try {
          const records = await writer.store.readStream(streamId, { fromRevision: this.revision + 1n });
          for (const record of records) {
            if (record.type !== 'MessageReceived') continue;
            const event = await writer.codec.decode(record);
            if (event.type !== 'MessageReceived' || event.data.replyTo !== replyTo) continue;
            // Our own reactor prints it (streamed) through the presenter.
            if (presenter.showing(replyTo)) break;
            const language = detectLanguage(event.data.text, this.language);
            const sources = sourceLines(event.data.text, event.data.citations, language);
            out.write(
              `${speakerLabel(kind, language)}${event.data.text}\n${sources.map((s) => `${s}\n`).join('')}\n`,
            );
            return settle();
          }
        } catch {
          // A failed read is retried at the next tick.
        }
        timer = setTimeout(poll, pollMs);
      };
      timer = setTimeout(poll, pollMs);
    });
  }
}
