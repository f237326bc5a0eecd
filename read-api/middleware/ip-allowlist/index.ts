import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../../schemas/errors.ts';
import '../client-ip/index.ts';
import { ipMatcher } from './matcher.ts';

export { loopbackRanges } from './matcher.ts';

export type IpAllowlistOptions = {
  /** METRICS_ALLOWED_IPS: addresses and CIDR ranges, IPv4 and IPv6. Empty allows loopback only. */
  allow: readonly string[];
  /** The variable the list came from, named when a rule is invalid. */
  variable?: string;
};

const forbidden = () => new AppError('FORBIDDEN', 'this endpoint is not available from your address');

/** Lets through only clients (the `clientIp` middleware's answer) within the list. */
export const ipAllowlist = ({
  allow,
  variable = 'METRICS_ALLOWED_IPS',
}: IpAllowlistOptions): MiddlewareHandler => {
  const allowed = ipMatcher(allow, variable);
  return async function allowListedIp(c, next) {
    if (!allowed(c.get('clientIp'))) throw forbidden();
    await next();
  };
};
