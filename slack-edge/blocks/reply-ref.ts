import { z } from 'zod';

/**
 * What a button under a reply refers to: the conversation, the session, the rep's message the
 * reply answered, and the rep who owns the session. It travels in the button's `value` (Slack
 * signs the payload it comes back in; the value is ours, set when the reply was posted).
 */
export type ReplyRef = { conversationId: string; sessionId: string; replyTo: string; ownerId: string };

const ReplyRefValue = z
  .string()
  .max(2000)
  .transform((value, ctx) => {
    const parts = value.split('|');
    if (parts.length !== 5 || parts[0] !== 'r1') {
      ctx.addIssue({ code: 'custom', message: 'not a reply reference' });
      return z.NEVER;
    }
    const [, conversationId, sessionId, replyTo, ownerId] = parts as [string, string, string, string, string];
    return { conversationId, sessionId, replyTo, ownerId };
  })
  .pipe(
    z.object({
      conversationId: z.string().regex(/^[^|:]+:[^|:]+:[^|:]+$/),
      sessionId: z.uuid(),
      replyTo: z.string().min(1),
      ownerId: z.string().min(1),
    }),
  );

export const encodeReplyRef = (ref: ReplyRef, suffix?: string): string =>
  ['r1', ref.conversationId, ref.sessionId, ref.replyTo, ref.ownerId].join('|') +
  (suffix ? `#${suffix}` : '');

/** The reference and the optional `#suffix` (the feedback buttons' rating). */
export const decodeReplyRef = (value: string): { ref: ReplyRef; suffix: string | null } | null => {
  const hash = value.lastIndexOf('#');
  const [body, suffix] = hash > 0 ? [value.slice(0, hash), value.slice(hash + 1)] : [value, null];
  const parsed = ReplyRefValue.safeParse(body);
  return parsed.success ? { ref: parsed.data, suffix } : null;
};

/**
 * The id the dialogue decider gives the assistant's reply to a message (write/dialogue/decide.ts:
 * `reply:<replyTo>`); feedback names the reply by it.
 */
export const replyMessageId = (replyTo: string): string => `reply:${replyTo}`;
