import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isAppError } from '../../../schemas/errors.ts';
import { sendDialogueCommand } from '../../../write/agent/dialogue-commands.ts';
import { decodeReplyRef } from '../../blocks/reply-ref.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { textsFor } from '../../text/messages.ts';
import { readAction } from './payload.ts';
import { respondOrLog } from './respond-ephemeral.ts';

/**
 * "セッション終了 / End session" (or "End roleplay") under a reply: ends the session
 * (`SessionEnded`, reason user); a roleplay then gets its scorecard from the agent. Only the rep
 * the session is with may end it.
 */
export const endSession =
  (deps: SlackEdgeDeps) =>
  async ({ ack, body, respond }: SlackActionMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const read = readAction(body);
    const decoded = read?.action.value ? decodeReplyRef(read.action.value) : null;
    if (!read || !decoded) {
      deps.logger.warn('slack: an end-session action without a valid reply reference; ignored');
      return;
    }
    const { payload } = read;
    const { ref } = decoded;
    const t = textsFor(await deps.languageOf(payload.user.id));
    const tell = async (text: string) => {
      if (payload.response_url)
        await respondOrLog(
          respond,
          { response_type: 'ephemeral', replace_original: false, text },
          deps.logger,
        );
    };
    if (payload.user.id !== ref.ownerId) {
      await tell(t.notYourSession);
      return;
    }
    try {
      const result = await sendDialogueCommand(
        deps,
        { type: 'EndSession', conversationId: ref.conversationId, sessionId: ref.sessionId, reason: 'user' },
        {
          // One end per session, however often the button is clicked.
          idempotencyKey: `slack-end-session:${ref.sessionId}`,
          correlationId: `slack-end-session:${ref.sessionId}`,
          causationId: null,
          now: deps.clock().toISOString(),
          actor: { kind: 'user', id: payload.user.id },
        },
      );
      const mode = result.state.sessions[ref.sessionId]?.mode;
      await tell(
        result.events.length === 0 ? t.alreadyEnded : mode === 'roleplay' ? t.roleplayEnding : t.sessionEnded,
      );
    } catch (error) {
      if (!isAppError(error, 'NOT_FOUND')) throw error;
      await tell(t.somethingWrong);
    }
  };
