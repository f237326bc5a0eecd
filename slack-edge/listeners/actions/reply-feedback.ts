import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isAppError } from '../../../schemas/errors.ts';
import { sendDialogueCommand } from '../../../write/agent/dialogue-commands.ts';
import { decodeReplyRef, replyMessageId } from '../../blocks/reply-ref.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { textsFor } from '../../text/messages.ts';
import { clickKey, readAction } from './payload.ts';
import { respondOrLog } from './respond-ephemeral.ts';

/**
 * 👍 / 👎 under a reply (Slack's feedback element, or the plain buttons): records `FeedbackGiven`
 * for the reply, by whoever clicked, and thanks them privately.
 */
export const replyFeedback =
  (deps: SlackEdgeDeps) =>
  async ({ ack, body, respond }: SlackActionMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const read = readAction(body);
    const decoded = read?.action.value ? decodeReplyRef(read.action.value) : null;
    if (!read || !decoded || (decoded.suffix !== 'up' && decoded.suffix !== 'down')) {
      deps.logger.warn('slack: a feedback action without a valid reply reference; ignored');
      return;
    }
    const { payload, action } = read;
    const { ref } = decoded;
    const rating = decoded.suffix;
    const t = textsFor(await deps.languageOf(payload.user.id));
    let text = t.feedbackThanks(rating);
    try {
      await sendDialogueCommand(
        deps,
        {
          type: 'GiveFeedback',
          conversationId: ref.conversationId,
          sessionId: ref.sessionId,
          messageId: replyMessageId(ref.replyTo),
          userId: payload.user.id,
          rating,
          comment: null,
        },
        {
          idempotencyKey: clickKey(payload, action),
          correlationId: clickKey(payload, action),
          causationId: null,
          now: deps.clock().toISOString(),
          actor: { kind: 'user', id: payload.user.id },
        },
      );
    } catch (error) {
      if (!isAppError(error, 'NOT_FOUND')) throw error;
      deps.logger.warn({ err: error }, 'slack: feedback on a reply that is not recorded');
      text = t.somethingWrong;
    }
    if (payload.response_url)
      await respondOrLog(respond, { response_type: 'ephemeral', replace_original: false, text }, deps.logger);
  };
