import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { ReceiveUserMessage } from '../../../schemas/commands.ts';
import { sendDialogueCommand } from '../../../write/agent/dialogue-commands.ts';
import { roleplayPersonaAction, roleplayPersonaBlock } from '../../blocks/action-ids.ts';
import { conversationOf } from '../../conversation.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { textsFor } from '../../text/messages.ts';

const Submission = z.looseObject({
  user: z.looseObject({ id: z.string().min(1), team_id: z.string().optional() }),
  team: z
    .looseObject({ id: z.string().min(1) })
    .nullable()
    .optional(),
  view: z.looseObject({
    id: z.string().min(1),
    private_metadata: z.string().optional(),
    state: z.looseObject({
      values: z.record(
        z.string(),
        z.record(z.string(), z.looseObject({ value: z.string().nullable().optional() })),
      ),
    }),
  }),
});

/**
 * The roleplay modal was submitted: the roleplay starts in a thread of the rep's DM with the
 * app. The app posts the opening line; the request is recorded as the rep's first message of a
 * roleplay session (idempotent by the view's id), and the agent answers in the thread as the buyer.
 */
export const startRoleplaySubmitted =
  (deps: SlackEdgeDeps) =>
  async ({ ack, body }: SlackViewMiddlewareArgs & AllMiddlewareArgs) => {
    const parsed = Submission.safeParse(body);
    if (!parsed.success) {
      await ack();
      return;
    }
    const { user, view } = parsed.data;
    const language = view.private_metadata === 'en' ? 'en' : 'ja';
    const t = textsFor(language);
    const persona = (view.state.values[roleplayPersonaBlock]?.[roleplayPersonaAction]?.value ?? '').trim();
    if (persona === '') {
      await ack({ response_action: 'errors', errors: { [roleplayPersonaBlock]: t.roleplayPersonaHint } });
      return;
    }
    await ack();
    const teamId = parsed.data.team?.id ?? user.team_id;
    if (!teamId) return;
    const dm = await deps.client.conversations.open({ users: user.id });
    const channel = dm.channel?.id;
    if (!channel) return;
    const opening = await deps.client.chat.postMessage({ channel, text: t.roleplayIntro(persona) });
    if (!opening.ts) return;
    const conversation = conversationOf(teamId, channel, 'im', opening.ts, opening.ts);
    const key = `slack-view:${view.id}`;
    await sendDialogueCommand(
      deps,
      ReceiveUserMessage.parse({
        type: 'ReceiveUserMessage',
        conversation,
        userId: user.id,
        messageId: `view:${view.id}`,
        text: t.roleplayRequest(persona),
        sentAt: deps.clock().toISOString(),
        startMode: 'roleplay',
        persona,
      }),
      {
        idempotencyKey: key,
        correlationId: key,
        causationId: null,
        now: deps.clock().toISOString(),
        actor: { kind: 'user', id: user.id },
      },
    );
  };
