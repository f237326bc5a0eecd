import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { SlackEdgeDeps } from '../../deps.ts';
import { textsFor } from '../../text/messages.ts';

const Started = z.looseObject({
  assistant_thread: z.looseObject({ user_id: z.string(), channel_id: z.string(), thread_ts: z.string() }),
});

/** The rep opened the assistant pane: offer a few starting points (the conversation is its thread). */
export const assistantThreadStarted =
  (deps: SlackEdgeDeps) =>
  async ({ event }: SlackEventMiddlewareArgs<'assistant_thread_started'> & AllMiddlewareArgs) => {
    const parsed = Started.safeParse(event);
    if (!parsed.success) return;
    const thread = parsed.data.assistant_thread;
    void (async () => {
      const t = textsFor(await deps.languageOf(thread.user_id));
      await deps.client.assistant.threads.setSuggestedPrompts({
        channel_id: thread.channel_id,
        thread_ts: thread.thread_ts,
        title: t.suggestedTitle,
        prompts: t.suggestedPrompts.map((p) => ({ ...p })) as [
          { title: string; message: string },
          ...{ title: string; message: string }[],
        ],
      });
    })().catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'slack: could not set suggested prompts'),
    );
  };
