import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from '@slack/bolt';
import { personaFor, roleplayModal } from '../../blocks/roleplay.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { readAction } from './payload.ts';

/** "ロールプレイを始める / Start a roleplay" on the Home tab: asks who the buyer should be. */
export const startRoleplay =
  (deps: SlackEdgeDeps) =>
  async ({ ack, body }: SlackActionMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const read = readAction(body);
    if (!read?.payload.trigger_id) return;
    const language = await deps.languageOf(read.payload.user.id);
    await deps.client.views.open({
      trigger_id: read.payload.trigger_id,
      view: roleplayModal(personaFor(read.action.value, language), language),
    });
  };
