import type { MiddlewareHandler } from 'hono';
import { ipRestriction } from 'hono/ip-restriction';
import { ConfigurationError } from '../../../schemas/config.ts';
import { AppError } from '../../../schemas/errors.ts';
import '../client-ip/index.ts';

export type IpAllowlistOptions = {
  /** METRICS_ALLOWED_IPS: addresses and CIDR ranges, IPv4 and IPv6. Empty allows loopback only. */
  allow: readonly string[];
  /** The variable the list came from, named when a rule is invalid. */
  variable?: string;
};

export const loopbackRanges = ['127.0.0.0/8', '::1'] as const;

const forbidden = () => new AppError('FORBIDDEN', 'this endpoint is not available from your address');

/**
 * Lets through only clients (the `clientIp` middleware's answer) within the list; hono's
 * ip-restriction does the matching (IPv4-mapped IPv6 addresses match their IPv4 rules).
 */
export const ipAllowlist = ({
  allow,
  variable = 'METRICS_ALLOWED_IPS',
}: IpAllowlistOptions): MiddlewareHandler => {
  const rules = allow.length > 0 ? [...allow] : [...loopbackRanges];
  let restrict: MiddlewareHandler;
  try {
    restrict = ipRestriction(
      (c) => c.get('clientIp') ?? '',
      { allowList: rules },
      () => {
        throw forbidden();
      },
    );
  } catch (error) {
    throw new ConfigurationError(
      variable,
      `expected IP addresses or CIDR ranges (${(error as Error).message})`,
    );
  }
  return async function allowListedIp(c, next) {
    if (!c.get('clientIp')) throw forbidden();
    return restrict(c, next);
  };
};
