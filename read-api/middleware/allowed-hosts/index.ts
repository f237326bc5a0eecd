import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../../schemas/errors.ts';

export type AllowedHostsOptions = {
  /**
   * ALLOWED_HOSTS: exact names (`your-domain.com`), subdomain wildcards (`*.your-domain.com`) or
   * `*`. Empty allows any host. Ports are ignored.
   */
  hosts: readonly string[];
};

/** Loopback names are always accepted: local probes (docker's health check) use them, and a
 * request naming them cannot be a DNS-rebinding attempt, which names the attacker's domain. */
const loopbackHosts = new Set(['localhost', '127.0.0.1', '::1']);

const hostName = (header: string): string => {
  const value = header.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1]!;
  return value.replace(/:\d+$/, '').replace(/\.$/, '');
};

/** Rejects requests whose Host header is not one of ours (Host header poisoning, DNS rebinding). */
export const allowedHosts = ({ hosts }: AllowedHostsOptions): MiddlewareHandler => {
  const rules = hosts.map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  const anyHost = rules.length === 0 || rules.includes('*');
  const exact = new Set(rules.filter((r) => !r.startsWith('*.')));
  const suffixes = rules.filter((r) => r.startsWith('*.')).map((r) => r.slice(1));
  const allowed = (host: string) =>
    exact.has(host) || loopbackHosts.has(host) || suffixes.some((s) => host.endsWith(s));

  return async function checkHost(c, next) {
    if (!anyHost) {
      // node-server builds the URL from the Host header; `app.request` has only the URL.
      const host = c.req.header('Host') ?? new URL(c.req.url).host;
      if (!allowed(hostName(host))) {
        throw new AppError('VALIDATION', 'the Host header names a host this server does not serve');
      }
    }
    await next();
  };
};
