import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { type DashboardKeys, mac, sameMac } from '../keys.ts';

/**
 * One sign-in with Slack in flight, in a signed cookie of its own: the `state` the callback must
 * bring back, the `nonce` the id_token must carry, the PKCE verifier, and where to go afterwards.
 * SameSite=Lax (Slack's redirect back is a cross-site navigation: a Strict cookie would stay home).
 */
export const SlackFlow = z.object({
  state: z.string().min(16),
  nonce: z.string().min(16),
  verifier: z.string().min(43),
  next: z.string(),
  exp: z.number().int(),
});
export type SlackFlow = z.infer<typeof SlackFlow>;

export const slackFlowCookie = 'salesai_slack_sign_in';
/** Long enough to read Slack's consent screen. */
export const slackFlowSeconds = 10 * 60;

const random = () => randomBytes(32).toString('base64url');

export const newSlackFlow = (next: string, nowSeconds: number): SlackFlow => ({
  state: random(),
  nonce: random(),
  verifier: random(),
  next,
  exp: nowSeconds + slackFlowSeconds,
});

/** The PKCE S256 challenge of a verifier. */
export const pkceChallenge = (verifier: string): string =>
  createHash('sha256').update(verifier).digest('base64url');

export const sealSlackFlow = (keys: DashboardKeys, flow: SlackFlow): string => {
  const body = Buffer.from(JSON.stringify(flow), 'utf8').toString('base64url');
  return `${body}.${mac(keys.session, `slack-sign-in:${body}`)}`;
};

/** The flow of this browser, if its cookie is genuine and unexpired. */
export const openSlackFlow = (
  keys: DashboardKeys,
  cookie: string | undefined,
  nowSeconds: number,
): SlackFlow | undefined => {
  if (!cookie || cookie.length > 2048) return undefined;
  const [body, signature, extra] = cookie.split('.');
  if (!body || !signature || extra !== undefined) return undefined;
  if (!sameMac(signature, mac(keys.session, `slack-sign-in:${body}`))) return undefined;
  try {
    const flow = SlackFlow.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    return flow.success && flow.data.exp > nowSeconds ? flow.data : undefined;
  } catch {
    return undefined;
  }
};
