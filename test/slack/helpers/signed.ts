import { slackSignature } from '../../../slack-edge/http/signature.ts';

export const testSigningSecret = '8f742231b10e8888abcd99yyyzzz85a5';

export type SignedOptions = {
  secret?: string;
  /** Seconds; now by default. */
  timestamp?: number;
  retryNum?: number;
  /** Replaces the computed signature (to test refusals). */
  signature?: string;
  unsigned?: boolean;
};

/** Headers and body of a request signed the way Slack signs it. */
export const signedInit = (body: string, contentType: string, options: SignedOptions = {}): RequestInit => {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = { 'content-type': contentType };
  if (!options.unsigned) {
    headers['x-slack-request-timestamp'] = timestamp;
    headers['x-slack-signature'] =
      options.signature ?? slackSignature(options.secret ?? testSigningSecret, timestamp, body);
  }
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return { method: 'POST', headers, body };
};

export const jsonInit = (payload: unknown, options?: SignedOptions) =>
  signedInit(JSON.stringify(payload), 'application/json', options);

export const formInit = (fields: Record<string, string>, options?: SignedOptions) =>
  signedInit(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', options);

export const interactiveInit = (payload: unknown, options?: SignedOptions) =>
  formInit({ payload: JSON.stringify(payload) }, options);
