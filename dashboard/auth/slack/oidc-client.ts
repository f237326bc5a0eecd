import { createRemoteJWKSet, jwtVerify } from 'jose';
import { z } from 'zod';
import { AppError } from '../../../schemas/errors.ts';
import type { SlackSignInSettings } from './settings.ts';

/** Slack's id_token issuer. */
export const slackIssuer = 'https://slack.com';

export const SlackIdentity = z.object({
  'https://slack.com/user_id': z.string().regex(/^[UW][A-Z0-9]+$/),
  'https://slack.com/team_id': z.string().regex(/^[TE][A-Z0-9]+$/),
  name: z.string().optional(),
  email: z.string().optional(),
  locale: z.string().optional(),
  nonce: z.string().optional(),
});

export type SignedInSlackUser = { userId: string; teamId: string; name: string; email: string | undefined };

/** Why a sign-in failed: shown to the person (in their language) by kind, logged with the detail. */
export type SlackSignInFailure = 'exchange' | 'token' | 'nonce';

export class SlackSignInError extends Error {
  readonly kind: SlackSignInFailure;
  constructor(kind: SlackSignInFailure, message: string) {
    super(message);
    this.kind = kind;
  }
}

const TokenAnswer = z.object({ ok: z.literal(true), id_token: z.string().min(1) });

/**
 * Sign in with Slack's client side: the authorize URL, the code exchange through the
 * `openid.connect.token` Web API method, and the id_token verified with `jose` against Slack's
 * JWKS (signature, issuer, audience = our client id, expiry) and our nonce.
 */
export const createSlackOidcClient = (settings: SlackSignInSettings, fetchTimeoutMs = 10_000) => {
  const base = settings.oidcUrl.endsWith('/') ? settings.oidcUrl : `${settings.oidcUrl}/`;
  const jwks = createRemoteJWKSet(new URL('keys', base), { timeoutDuration: fetchTimeoutMs });
  const api = settings.apiUrl.endsWith('/') ? settings.apiUrl : `${settings.apiUrl}/`;

  return {
    authorizeUrl: (flow: { state: string; nonce: string; challenge: string }, teamId: string | undefined) => {
      const url = new URL('authorize', base);
      url.search = new URLSearchParams({
        response_type: 'code',
        scope: 'openid profile email',
        client_id: settings.clientId,
        redirect_uri: settings.redirectUri,
        state: flow.state,
        nonce: flow.nonce,
        code_challenge: flow.challenge,
        code_challenge_method: 'S256',
        // Slack skips the workspace picker when it knows the workspace.
        ...(teamId ? { team: teamId } : {}),
      }).toString();
      return url.toString();
    },

    /** Exchanges the code and verifies the id_token; throws SlackSignInError. */
    signIn: async (code: string, verifier: string, nonce: string): Promise<SignedInSlackUser> => {
      let answer: unknown;
      try {
        const response = await fetch(new URL('openid.connect.token', api), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            client_id: settings.clientId,
            client_secret: settings.clientSecret,
            code,
            redirect_uri: settings.redirectUri,
            code_verifier: verifier,
            grant_type: 'authorization_code',
          }),
          signal: AbortSignal.timeout(fetchTimeoutMs),
        });
        answer = await response.json();
      } catch (error) {
        throw new AppError('UNAVAILABLE', 'Slack could not be reached to finish the sign-in', undefined, {
          cause: error,
        });
      }
      const token = TokenAnswer.safeParse(answer);
      if (!token.success) {
        const error = (answer as { error?: unknown } | null)?.error;
        throw new SlackSignInError(
          'exchange',
          `openid.connect.token refused: ${String(error ?? 'no id_token')}`,
        );
      }
      let claims: z.infer<typeof SlackIdentity>;
      try {
        const { payload } = await jwtVerify(token.data.id_token, jwks, {
          issuer: slackIssuer,
          audience: settings.clientId,
          algorithms: ['RS256'],
          clockTolerance: 60,
        });
        claims = SlackIdentity.parse(payload);
      } catch (error) {
        throw new SlackSignInError('token', `id_token refused: ${(error as Error).message}`);
      }
      if (claims.nonce !== nonce) throw new SlackSignInError('nonce', 'id_token nonce does not match');
      const userId = claims['https://slack.com/user_id'];
      return {
        userId,
        teamId: claims['https://slack.com/team_id'],
        name: claims.name?.trim() || userId,
        email: claims.email,
      };
    },
  };
};

export type SlackOidcClient = ReturnType<typeof createSlackOidcClient>;
