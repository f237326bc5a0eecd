import type { RespondArguments, RespondFn } from '@slack/bolt';
import type { Logger } from '../../../schemas/logger.ts';
import type { KnownBlock } from '../../blocks/block-types.ts';

export type Answer = { text: string; blocks?: KnownBlock[] };

export type AnswerOptions = {
  ack: (response?: string | RespondArguments) => Promise<void>;
  respond: RespondFn;
  /** Builds the answer (reads the read models). */
  work: () => Promise<Answer>;
  /** Shown at once when the answer takes longer than `inlineMs`. */
  interim: string;
  /** Shown when `work` fails. */
  failure: string;
  inlineMs: number;
  logger: Logger;
};

const ephemeral = (answer: Answer): RespondArguments => ({
  response_type: 'ephemeral',
  text: answer.text,
  ...(answer.blocks ? { blocks: answer.blocks } : {}),
});

/**
 * Answers a slash command within Slack's 3 seconds, always privately: in the acknowledgement
 * itself when the answer is ready within `inlineMs` (the usual case), else an interim line at
 * once and the answer through response_url, replacing it.
 */
export const answerCommand = async (options: AnswerOptions): Promise<void> => {
  const result = options.work().then(
    (answer) => answer,
    (error: unknown): Answer => {
      options.logger.error({ err: error }, 'slack: a command failed');
      return { text: options.failure };
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), options.inlineMs);
  });
  const first = await Promise.race([result, late]);
  clearTimeout(timer);
  if (first) {
    await options.ack(ephemeral(first));
    return;
  }
  await options.ack({ response_type: 'ephemeral', text: options.interim });
  const answer = await result;
  await options.respond({ ...ephemeral(answer), replace_original: true });
};
