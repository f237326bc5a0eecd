import type { CommandMetadata, DialogueCommand } from '../../schemas/commands.ts';
import { handleDialogueCommand } from '../../write/dialogue/handle.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';

export type MessageWritersOptions = {
  writers: number;
  text: (i: number) => string;
  /** Pause after each acknowledged message. */
  pauseMs?: number;
  /** Retry what was not acknowledged (as Slack does) instead of failing. */
  retry?: boolean;
};

/**
 * Reps writing to the coach through the command path, each in their own DM, until stopped:
 * the load of the fault tests. `acknowledged` lists the message ids whose command succeeded.
 */
export const startMessageWriters = (store: EventStore, options: MessageWritersOptions) => {
  const acknowledged: string[] = [];
  let attempted = 0;
  let failed = 0;
  let running = true;
  const writer = async (w: number) => {
    const conversation = {
      id: `T1:D${w}:dm`,
      teamId: 'T1',
      channelId: `D${w}`,
      channelKind: 'im' as const,
      threadTs: null,
    };
    for (let i = 0; running; i++) {
      const messageId = `${1_800_000_000 + i}.${String(w).padStart(6, '0')}`;
      const command: DialogueCommand = {
        type: 'ReceiveUserMessage',
        conversation,
        userId: `U${String(w).padStart(6, '0')}`,
        messageId,
        text: options.text(i),
        sentAt: new Date(Date.UTC(2026, 5, 1, 9, 0, i)).toISOString(),
      };
      const metadata: CommandMetadata = {
        idempotencyKey: `Ev-${w}-${i}`,
        correlationId: `Ev-${w}-${i}`,
        causationId: null,
        now: command.sentAt,
        actor: { kind: 'user', id: command.userId },
      };
      attempted++;
      for (let attempt = 0; running || attempt === 0; attempt++) {
        try {
          await handleDialogueCommand(
            { store, codec: plainCodec, inactivityMs: 30 * 60_000 },
            command,
            metadata,
          );
          acknowledged.push(messageId);
          break;
        } catch (error) {
          if (!options.retry) throw error;
          failed++;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  };
  const all = Promise.all(Array.from({ length: options.writers }, (_, w) => writer(w)));
  return {
    acknowledged,
    stats: () => ({ attempted, failed }),
    stop: async () => {
      running = false;
      await all;
    },
  };
};
