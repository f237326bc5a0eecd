import type { RespondArguments, RespondFn } from '@slack/bolt';
import type { Logger } from '../../../schemas/logger.ts';

/**
 * Answers through the interaction's `response_url`. That URL comes with the payload and may have
 * expired or be refused: a failure there is logged, never thrown into Bolt as a listener error.
 */
export const respondOrLog = async (
  respond: RespondFn,
  message: RespondArguments,
  logger: Logger,
): Promise<void> => {
  try {
    await respond(message);
  } catch (error) {
    logger.warn({ err: error }, 'slack: the response_url did not take the answer');
  }
};
