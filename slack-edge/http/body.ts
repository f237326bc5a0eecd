import { z } from 'zod';

export type SlackEndpoint = 'events' | 'commands' | 'interactive';

/** The result of reading a verified request: hand it to Bolt, answer it at once, or refuse it. */
export type ParsedBody =
  | { kind: 'dispatch'; body: Record<string, unknown> }
  | { kind: 'answer'; status: 200; json: unknown }
  | { kind: 'ignore'; reason: string }
  | { kind: 'invalid'; message: string };

/** A message ts as the listeners read it (seconds and a fraction); strict ids are checked later. */
const EventTs = z.string().regex(/^\d{1,12}\.\d{1,9}$/, 'a Slack message ts such as 1531420618.000200');

const SlackIdLike = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a Slack id such as Ev0PV52K25');

const EventEnvelope = z.discriminatedUnion('type', [
  z.object({ type: z.literal('url_verification'), challenge: z.string().min(1).max(1000) }),
  z.looseObject({
    type: z.literal('event_callback'),
    // Ids as Slack makes them (letters and digits): they become stream names and idempotency keys.
    team_id: SlackIdLike,
    event_id: SlackIdLike,
    // Read by Bolt for its context: of the types Slack sends, when present.
    token: z.string().optional(),
    api_app_id: z.string().optional(),
    enterprise_id: z.string().nullable().optional(),
    context_team_id: z.string().nullable().optional(),
    context_enterprise_id: z.string().nullable().optional(),
    is_ext_shared_channel: z.boolean().optional(),
    // Seconds since the epoch, as Slack sends it (a date is made of it).
    event_time: z.number().int().min(0).max(100_000_000_000).optional(),
    // Bolt reads the first one for its context (team, enterprise, bot user).
    authorizations: z
      .array(
        z.looseObject({
          team_id: z.string().nullable().optional(),
          enterprise_id: z.string().nullable().optional(),
          user_id: z.string().optional(),
          is_bot: z.boolean().optional(),
          is_enterprise_install: z.boolean().optional(),
        }),
      )
      .optional(),
    // What the listeners and Bolt's routing read: of the shape Slack sends, when present.
    event: z.looseObject({
      type: z.string().min(1),
      ts: EventTs.optional(),
      thread_ts: EventTs.optional(),
      event_ts: EventTs.optional(),
      // An id in messages and mentions; an object in some other events (channel_created, user_change).
      channel: z.union([z.string().min(1), z.looseObject({})]).optional(),
      user: z.union([z.string().min(1), z.looseObject({})]).optional(),
      text: z.string().optional(),
      // Reactions and stars point at their message through it.
      item: z.looseObject({}).optional(),
    }),
  }),
  z.looseObject({ type: z.literal('app_rate_limited') }),
]);

const SlashCommand = z.looseObject({
  command: z.string().regex(/^\/\S+$/),
  team_id: z.string().min(1),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  text: z.string().default(''),
  response_url: z.url(),
  trigger_id: z.string().min(1),
});

const InteractivePayload = z.looseObject({
  type: z.string().min(1),
  user: z.looseObject({ id: z.string().min(1) }),
  token: z.string().optional(),
  api_app_id: z.string().optional(),
  enterprise: z.looseObject({}).nullable().optional(),
  is_enterprise_install: z.boolean().optional(),
  // Bolt matches listeners on these: of the shape Slack sends, when present.
  actions: z
    .array(
      z.looseObject({
        action_id: z.string().min(1),
        block_id: z.string().optional(),
        value: z.string().optional(),
      }),
    )
    .optional(),
  view: z.looseObject({}).optional(),
  team: z.looseObject({}).nullable().optional(),
  channel: z.looseObject({}).optional(),
  container: z.looseObject({}).optional(),
  // An interaction carries neither: Bolt would route on them as an event or a slash command.
  event: z.never().optional(),
  command: z.never().optional(),
});

/**
 * Fields of an event, an action or a view that make Bolt route a request as something else: a
 * slash command's form never has them.
 */
const notCommandFields = ['event', 'type', 'actions', 'view', 'payload', 'name', 'callback_id', 'message'];

/** Postgres cannot store a NUL character, and Slack never sends one. */
const hasNul = (value: unknown) => JSON.stringify(value).includes('\\u0000');

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const firstIssue = (error: z.ZodError) => {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid body';
};

/**
 * Reads the body of a (verified) Slack request by endpoint: JSON for the Events API, a form for
 * slash commands, a form with a JSON `payload` for interactivity. Anything that is not what
 * Slack sends is `invalid` (a 400), never an exception.
 */
export const parseSlackBody = (endpoint: SlackEndpoint, raw: string): ParsedBody => {
  if (endpoint === 'events') {
    const json = parseJson(raw);
    if (json === undefined) return { kind: 'invalid', message: 'the body is not JSON' };
    if (hasNul(json)) return { kind: 'invalid', message: 'the body contains a NUL character' };
    const type = (json as { type?: unknown } | null)?.type;
    if (
      typeof type === 'string' &&
      !['url_verification', 'event_callback', 'app_rate_limited'].includes(type)
    ) {
      return { kind: 'ignore', reason: `envelope type ${type}` };
    }
    const parsed = EventEnvelope.safeParse(json);
    if (!parsed.success) return { kind: 'invalid', message: firstIssue(parsed.error) };
    const envelope = parsed.data;
    if (envelope.type === 'url_verification')
      return { kind: 'answer', status: 200, json: { challenge: envelope.challenge } };
    if (envelope.type === 'app_rate_limited') return { kind: 'ignore', reason: 'app_rate_limited' };
    return { kind: 'dispatch', body: envelope };
  }
  const form = Object.fromEntries(new URLSearchParams(raw));
  if (hasNul(form)) return { kind: 'invalid', message: 'the body contains a NUL character' };
  if (endpoint === 'commands') {
    // Slack checks the certificate of a command URL now and then with an `ssl_check`.
    if (form.ssl_check === '1') return { kind: 'answer', status: 200, json: {} };
    for (const field of notCommandFields) delete form[field];
    const parsed = SlashCommand.safeParse(form);
    return parsed.success
      ? { kind: 'dispatch', body: parsed.data }
      : { kind: 'invalid', message: firstIssue(parsed.error) };
  }
  if (typeof form.payload !== 'string') return { kind: 'invalid', message: 'payload: missing' };
  const payload = parseJson(form.payload);
  if (payload === undefined) return { kind: 'invalid', message: 'payload: not JSON' };
  if (hasNul(payload)) return { kind: 'invalid', message: 'payload: contains a NUL character' };
  const parsed = InteractivePayload.safeParse(payload);
  return parsed.success
    ? { kind: 'dispatch', body: parsed.data }
    : { kind: 'invalid', message: `payload.${firstIssue(parsed.error)}` };
};
