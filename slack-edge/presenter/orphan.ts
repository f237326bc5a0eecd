import type { Logger } from '../../schemas/logger.ts';
import type { SlackClient } from '../web/client.ts';
import type { ReplyLedger } from './ledger.ts';

/** The Slack message metadata type our placeholders carry, with the reply's ledger key. */
export const replyMetadataType = 'salesai_reply';

export const replyMetadata = (key: string) => ({
  event_type: replyMetadataType,
  event_payload: { reply_key: key },
});

type SlackMessage = {
  ts?: string;
  bot_id?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
};

export type OrphanSearch = {
  client: SlackClient;
  ledger: ReplyLedger;
  logger: Logger;
  key: string;
  channel: string;
  /** The thread the reply goes to; null for the top level of a DM. */
  threadTs: string | null;
  /** The rep's message answered: the reply came after it (a closing scorecard has no message). */
  replyTo: string;
};

const slackTs = /^\d+\.\d+$/;

/**
 * The message an earlier attempt at a reply left in Slack without having recorded where: the
 * process died between Slack's answer and the ledger's update. Without it, the attempt after a
 * restart would post a second message and leave the first one showing "考えています…" for good.
 *
 * A DM placeholder carries the reply's key in its metadata, which makes it certain. A streamed
 * thread reply cannot carry metadata until it ends, so there it is the first message of ours
 * after the rep's message that no other reply's ledger entry claims (a conversation's replies are
 * written one at a time, in order). Null when none is found, or when Slack cannot be asked: the
 * reply is then posted as new. A ledger (database) failure is thrown: the attempt is made again.
 */
/** Bot messages after the rep's message, oldest first; null when Slack cannot be asked. */
const botMessagesAfter = async (
  s: Omit<OrphanSearch, 'ledger' | 'key'>,
  after: string | null,
): Promise<SlackMessage[] | null> => {
  const range = {
    ...(after ? { oldest: after, inclusive: false } : {}),
    include_all_metadata: true,
    limit: 100,
  };
  try {
    const page = s.threadTs
      ? await s.client.conversations.replies({ channel: s.channel, ts: s.threadTs, ...range })
      : await s.client.conversations.history({ channel: s.channel, ...range });
    return ((page.messages ?? []) as SlackMessage[])
      .filter((m) => m.ts && m.ts !== s.threadTs && m.bot_id)
      .sort((a, b) => Number(a.ts) - Number(b.ts));
  } catch (error) {
    s.logger.warn({ err: error }, 'slack: could not look for an interrupted reply; posting it as new');
    return null;
  }
};

const taggedWith = (messages: SlackMessage[], key: string) =>
  messages.find(
    (m) => m.metadata?.event_type === replyMetadataType && m.metadata.event_payload?.reply_key === key,
  )?.ts ?? null;

/**
 * The message carrying the reply's key that an earlier attempt posted: a DM placeholder, or the
 * continuation of a stream Slack ended. Null when there is none, or Slack cannot be asked.
 */
export const findTaggedMessage = async (s: Omit<OrphanSearch, 'ledger'>): Promise<string | null> => {
  const messages = await botMessagesAfter(s, slackTs.test(s.replyTo) ? s.replyTo : null);
  return messages ? taggedWith(messages, s.key) : null;
};

export const findOrphanedMessage = async (s: OrphanSearch): Promise<string | null> => {
  const after = slackTs.test(s.replyTo) ? s.replyTo : null;
  const messages = await botMessagesAfter(s, after);
  if (!messages) return null;
  const tagged = taggedWith(messages, s.key);
  if (tagged) return tagged;
  if (!s.threadTs || !after) return null;
  const untagged = messages.filter((m) => m.metadata?.event_type !== replyMetadataType).map((m) => m.ts!);
  // The ledger is our own database: while it cannot answer, the reply waits (the agent tries
  // again) rather than posting a second message beside an orphan it could not rule out.
  const claimed = await s.ledger.claimedMessages(s.channel, untagged);
  return untagged.find((ts) => !claimed.has(ts)) ?? null;
};
