import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import type { SlackStub } from './slack-api.ts';

/** Who the stub's Slack says signs in (what its id_token carries). */
export type OidcUser = { userId: string; teamId: string; name: string; email: string; locale?: string };

export type SlackOidcStub = {
  /** For SLACK_OIDC_URL. */
  oidcUrl: string;
  /** The next sign-ins approve as this user. */
  signInAs: (user: OidcUser) => void;
  /** Claims the next id_token gets changed (or a foreign key signs it): for refusal tests. */
  tamperNextToken: (change: { claims?: JWTPayload; foreignKey?: boolean }) => void;
  /** Codes handed out and not yet exchanged. */
  openCodes: () => number;
};

/**
 * Slack's OpenID Connect, on the Web API stub: `/openid/connect/authorize` approves at once
 * (302 back to the redirect URI with a code and the state), `/openid/connect/keys` is the JWKS,
 * `openid.connect.token` exchanges a code once (client id and secret, redirect URI and PKCE
 * verifier checked) for an RS256 id_token with Slack's claims, `openid.connect.userInfo` answers
 * for its access token.
 */
export const attachSlackOidc = async (
  stub: SlackStub,
  client: { clientId: string; clientSecret: string },
): Promise<SlackOidcStub> => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'stub-key-1', alg: 'RS256', use: 'sig' };
  let user: OidcUser = { userId: 'UREP1', teamId: 'T0STUB', name: 'Rep One', email: 'rep1@example.com' };
  let tamper: { claims?: JWTPayload; foreignKey?: boolean } | null = null;
  const codes = new Map<
    string,
    { user: OidcUser; nonce: string | undefined; redirectUri: string; challenge: string | undefined }
  >();
  const tokens = new Map<string, OidcUser>();
  const slackClaims = (u: OidcUser) => ({
    'https://slack.com/user_id': u.userId,
    'https://slack.com/team_id': u.teamId,
    email: u.email,
    email_verified: true,
    name: u.name,
    locale: u.locale ?? 'ja-JP',
  });

  stub.extend(async ({ method, url, params }) => {
    if (method === '/openid/connect/keys') return { status: 200, body: { keys: [jwk] } };
    if (method === '/openid/connect/authorize') {
      const q = url.searchParams;
      const redirectUri = q.get('redirect_uri') ?? '';
      if (q.get('client_id') !== client.clientId || q.get('response_type') !== 'code')
        return { status: 400, body: { error: 'invalid_request' } };
      if (!(q.get('scope') ?? '').split(' ').includes('openid'))
        return { status: 400, body: { error: 'invalid_scope' } };
      const code = randomBytes(12).toString('hex');
      codes.set(code, {
        user,
        nonce: q.get('nonce') ?? undefined,
        redirectUri,
        challenge: q.get('code_challenge') ?? undefined,
      });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      return { status: 302, headers: { location: back.toString() } };
    }
    if (method === 'openid.connect.token') {
      if (params.client_id !== client.clientId || params.client_secret !== client.clientSecret)
        return { status: 200, body: { ok: false, error: 'invalid_client_id' } };
      const grant = codes.get(String(params.code ?? ''));
      // A code works once (a replayed callback is refused here too).
      codes.delete(String(params.code ?? ''));
      if (!grant) return { status: 200, body: { ok: false, error: 'invalid_code' } };
      if (params.redirect_uri !== grant.redirectUri)
        return { status: 200, body: { ok: false, error: 'bad_redirect_uri' } };
      if (grant.challenge !== undefined) {
        const verifier = String(params.code_verifier ?? '');
        if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge)
          return { status: 200, body: { ok: false, error: 'invalid_code_verifier' } };
      }
      const accessToken = `xoxp-${randomBytes(8).toString('hex')}`;
      tokens.set(accessToken, grant.user);
      const change = tamper;
      tamper = null;
      const now = Math.floor(Date.now() / 1000);
      const idToken = await new SignJWT({
        ...slackClaims(grant.user),
        ...(grant.nonce ? { nonce: grant.nonce } : {}),
        auth_time: now,
        ...change?.claims,
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'stub-key-1' })
        .setIssuer((change?.claims?.iss as string | undefined) ?? 'https://slack.com')
        .setSubject(grant.user.userId)
        .setAudience((change?.claims?.aud as string | undefined) ?? client.clientId)
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(change?.foreignKey ? foreign.privateKey : privateKey);
      return {
        status: 200,
        body: { ok: true, access_token: accessToken, token_type: 'Bearer', id_token: idToken },
      };
    }
    if (method === 'openid.connect.userInfo') {
      const u = tokens.get(String(params.token ?? '').replace(/^Bearer /, ''));
      return u
        ? { status: 200, body: { ok: true, sub: u.userId, ...slackClaims(u) } }
        : { status: 200, body: { ok: false, error: 'invalid_auth' } };
    }
    return null;
  });

  return {
    oidcUrl: `${stub.baseUrl}/openid/connect/`,
    signInAs: (next) => {
      user = next;
    },
    tamperNextToken: (change) => {
      tamper = change;
    },
    openCodes: () => codes.size,
  };
};
