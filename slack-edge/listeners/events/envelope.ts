import { z } from 'zod';

/** The Events API envelope around an event: who it is for and its id (Slack's retries keep it). */
export const EventEnvelope = z.looseObject({
  team_id: z.string().min(1),
  event_id: z.string().min(1),
  event_time: z.number().optional(),
  authorizations: z.array(z.looseObject({ user_id: z.string().optional() })).optional(),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

/** The bot's own user id: from auth.test when known, else from the envelope's authorizations. */
export const botUserIdOf = (context: { botUserId?: string | undefined }, envelope: EventEnvelope) =>
  context.botUserId ?? envelope.authorizations?.[0]?.user_id;
