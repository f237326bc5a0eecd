import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { helpBlocks } from '../../blocks/help.ts';

/** `/ai_help`: the usage, in Japanese and English, answered in the acknowledgement itself. */
export const aiHelp =
  () =>
  async ({ ack }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ack({ response_type: 'ephemeral', ...helpBlocks() });
  };
