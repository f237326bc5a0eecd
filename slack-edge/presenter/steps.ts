import type { Logger } from '../../schemas/logger.ts';
import type { Language } from '../../write/agent/language.ts';
import type { ReplyStep } from '../../write/agent/ports.ts';
import type { TaskUpdateChunk } from '../blocks/block-types.ts';
import { textsFor } from '../text/messages.ts';
import { slackErrorCode, tokenProblems } from '../web/errors.ts';
import { streamClosed } from './slack-stream.ts';

/**
 * Whether replies show their steps as `task_update` chunks. On until a workspace refuses a call
 * that carried them (thinking steps not available there); from then on, this process streams
 * the text alone.
 */
export class StepsChoice {
  private on: boolean;
  private readonly logger: Logger;

  constructor(enabled: boolean, logger: Logger) {
    this.on = enabled;
    this.logger = logger;
  }

  get enabled(): boolean {
    return this.on;
  }

  /**
   * After a failed call that carried step chunks: true when the failure is theirs (the call is
   * then made again without them). A closed stream, a rate limit, a token problem or a network
   * failure is not about the chunks.
   */
  refusedBy(error: unknown): boolean {
    const code = slackErrorCode(error);
    if (streamClosed(error) || tokenProblems.has(code) || code === 'ratelimited') return false;
    if (code === 'request_error' || code.startsWith('http_')) return false;
    if (this.on) {
      this.on = false;
      this.logger.warn(
        { error: code },
        'Slack refused the task_update chunks; streaming replies without their steps from now on',
      );
    }
    return true;
  }
}

/** A step as Slack's task chunk, titled in the rep's language. */
export const taskChunk = (step: ReplyStep, language: Language): TaskUpdateChunk => {
  const t = textsFor(language);
  return {
    type: 'task_update',
    id: step.id,
    title: t.steps[step.id],
    status: step.status,
    ...(step.found !== undefined ? { output: t.documentsFound(step.found) } : {}),
  };
};
