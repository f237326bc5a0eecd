import { z } from 'zod';

/** The parts of a block_actions payload the edge reads. */
export const BlockActionPayload = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({ id: z.string().min(1) }),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
  container: z.looseObject({ message_ts: z.string().optional() }).optional(),
  actions: z
    .array(
      z.looseObject({
        action_id: z.string().min(1),
        type: z.string().optional(),
        value: z.string().optional(),
        action_ts: z.string().optional(),
      }),
    )
    .min(1),
});
export type BlockActionPayload = z.infer<typeof BlockActionPayload>;

/** A block_actions payload and its first action, or null for anything else. */
export const readAction = (body: unknown) => {
  const parsed = BlockActionPayload.safeParse(body);
  if (!parsed.success) return null;
  return { payload: parsed.data, action: parsed.data.actions[0]! };
};

/** An idempotency key for a click: Slack does not resend interactions, but a user may click twice. */
export const clickKey = (payload: BlockActionPayload, action: BlockActionPayload['actions'][number]) =>
  `slack-action:${payload.user.id}:${payload.container?.message_ts ?? ''}:${action.action_id}:${action.action_ts ?? ''}`;
