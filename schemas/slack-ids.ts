import { z } from 'zod';

/** Slack user ids: U… or W… (Enterprise Grid), upper-case alphanumerics. */
export const SlackUserId = z.string().regex(/^[UW][A-Z0-9]{2,20}$/, 'a Slack user id such as U2CERLKJA');
export const SlackTeamId = z.string().regex(/^[TE][A-Z0-9]{2,20}$/, 'a Slack team id such as T12345');
export const SlackChannelId = z
  .string()
  .regex(/^[CDG][A-Z0-9]{2,20}$/, 'a Slack channel id such as C12345 or D12345');
/** Slack message timestamps ("1531420618.000200") identify a message within a channel. */
export const SlackTs = z.string().regex(/^\d{9,11}\.\d{6}$/, 'a Slack message ts such as 1531420618.000200');
