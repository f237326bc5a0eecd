import { randomBytes } from 'node:crypto';
import { slackTsNow, stubTeam } from '../../stubs/slack-api.ts';

/** A fresh Slack message ts (increasing, on the same clock as the Web API stub's messages). */
export const slackTs = slackTsNow;

export const eventId = () => `Ev${randomBytes(6).toString('hex').toUpperCase()}`;
export const userId = () => `U${randomBytes(4).toString('hex').toUpperCase()}`;
export const dmChannel = () => `D${randomBytes(4).toString('hex').toUpperCase()}`;
export const publicChannel = () => `C${randomBytes(4).toString('hex').toUpperCase()}`;

export const eventCallback = (event: Record<string, unknown>, id = eventId()) => ({
  token: 'legacy',
  team_id: stubTeam.id,
  api_app_id: 'A0STUB',
  type: 'event_callback',
  event_id: id,
  event_time: Math.floor(Date.now() / 1000),
  authorizations: [{ team_id: stubTeam.id, user_id: stubTeam.botUserId, is_bot: true }],
  event,
});

export const dmEvent = (o: {
  user: string;
  channel: string;
  text: string;
  ts?: string;
  threadTs?: string;
}) => ({
  type: 'message',
  channel_type: 'im',
  channel: o.channel,
  user: o.user,
  text: o.text,
  ts: o.ts ?? slackTs(),
  ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
});

export const mentionEvent = (o: {
  user: string;
  channel: string;
  text: string;
  ts?: string;
  threadTs?: string;
}) => ({
  type: 'app_mention',
  channel: o.channel,
  user: o.user,
  text: `<@${stubTeam.botUserId}> ${o.text}`,
  ts: o.ts ?? slackTs(),
  ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
});

export const channelMessageEvent = (o: {
  user: string;
  channel: string;
  text: string;
  threadTs: string;
  ts?: string;
}) => ({
  type: 'message',
  channel_type: 'channel',
  channel: o.channel,
  user: o.user,
  text: o.text,
  ts: o.ts ?? slackTs(),
  thread_ts: o.threadTs,
});

export const commandFields = (o: {
  command: string;
  text?: string;
  user: string;
  responseUrl: string;
  channel?: string;
}) => ({
  token: 'legacy',
  team_id: stubTeam.id,
  team_domain: 'stub',
  channel_id: o.channel ?? 'C0GENERAL',
  channel_name: 'general',
  user_id: o.user,
  user_name: o.user.toLowerCase(),
  command: o.command,
  text: o.text ?? '',
  api_app_id: 'A0STUB',
  response_url: o.responseUrl,
  trigger_id: `${Date.now()}.1.${randomBytes(4).toString('hex')}`,
});

export const blockAction = (o: {
  user: string;
  actionId: string;
  value: string;
  responseUrl?: string;
  type?: string;
  channel?: string;
  messageTs?: string;
}) => ({
  type: 'block_actions',
  team: { id: stubTeam.id, domain: 'stub' },
  user: { id: o.user, username: o.user.toLowerCase(), team_id: stubTeam.id },
  api_app_id: 'A0STUB',
  token: 'legacy',
  trigger_id: `${Date.now()}.1.${randomBytes(4).toString('hex')}`,
  ...(o.responseUrl ? { response_url: o.responseUrl } : {}),
  container: { type: 'message', message_ts: o.messageTs ?? slackTs(), channel_id: o.channel ?? 'D0STUB' },
  channel: { id: o.channel ?? 'D0STUB', name: 'directmessage' },
  actions: [
    {
      type: o.type ?? 'button',
      action_id: o.actionId,
      block_id: 'reply_actions',
      value: o.value,
      action_ts: `${Date.now() / 1000}`,
    },
  ],
});
