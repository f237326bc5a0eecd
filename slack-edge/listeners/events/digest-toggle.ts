import { handleDigestPreference } from '../../../write/digest/preference.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { coachingPlanText } from '../../text/coaching-plan.ts';

/** "digest off" / "digest on" (or ダイジェスト停止 / 再開) on its own in a DM: the digest switch, not a question for the coach. */
export const digestToggleOf = (text: string): boolean | null => {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[\s　]+/g, ' ');
  if (/^(digest off|ダイジェスト ?(停止|オフ))$/.test(t)) return false;
  if (/^(digest on|ダイジェスト ?(再開|オン))$/.test(t)) return true;
  return null;
};

/**
 * Turns the rep's digest off or on and says so. A retried event (same event_id) appends nothing
 * and posts nothing again.
 */
export const toggleDigestByMessage = async (
  deps: SlackEdgeDeps,
  input: { userId: string; channel: string; enabled: boolean; eventId: string },
) => {
  const key = `slack-event:${input.eventId}`;
  const result = await handleDigestPreference(
    deps,
    { type: 'SetDigestPreference', userId: input.userId, enabled: input.enabled, via: 'message' },
    {
      idempotencyKey: key,
      correlationId: key,
      causationId: null,
      now: deps.clock().toISOString(),
      actor: { kind: 'user', id: input.userId },
      slackEventId: input.eventId,
    },
  );
  const t = coachingPlanText[await deps.languageOf(input.userId)];
  const text = input.enabled ? t.digestTurnedOn : t.digestTurnedOff;
  // Already so (asked twice, or Slack retried): said quietly, to them only.
  if (result.events.length > 0) await deps.client.chat.postMessage({ channel: input.channel, text });
  else await deps.client.chat.postEphemeral({ channel: input.channel, user: input.userId, text });
  await deps.publishHome(input.userId).catch(() => {});
};
