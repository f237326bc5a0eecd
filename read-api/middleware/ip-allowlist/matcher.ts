import { BlockList, isIP } from 'node:net';
import { ConfigurationError } from '../../../schemas/config.ts';
import { normalizeIp } from '../client-ip/index.ts';

export const loopbackRanges = ['127.0.0.0/8', '::1'] as const;

/** Whether an address is in a list of addresses and CIDR ranges (IPv4 and IPv6). */
export type IpMatcher = (address: string | undefined) => boolean;

/**
 * A matcher for a configured list (METRICS_ALLOWED_IPS, TRUSTED_PROXIES); empty means loopback.
 * A rule that is neither an address nor a CIDR range is a configuration error naming `variable`.
 */
export const ipMatcher = (rules: readonly string[], variable: string): IpMatcher => {
  const list = new BlockList();
  for (const rule of rules.length > 0 ? rules : loopbackRanges) {
    const [address = '', prefix, extra] = rule.trim().split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const max = family === 6 ? 128 : 32;
    if (
      family === 0 ||
      extra !== undefined ||
      (bits !== undefined && (!/^\d{1,3}$/.test(prefix ?? '') || bits > max))
    ) {
      throw new ConfigurationError(variable, `expected IP addresses or CIDR ranges (got "${rule}")`);
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return (address) => {
    if (!address) return false;
    const ip = normalizeIp(address);
    const family = isIP(ip);
    return family !== 0 && list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
  };
};
