import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, type Tags } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

type Service = { environment?: Record<string, string>; ports?: unknown };
type Compose = { services: Record<string, Service> };

// Compose's merge tags: `!reset` empties what the base file set, `!override` replaces it.
const composeTags: Tags = [
  { tag: '!reset', collection: 'seq', resolve: () => ({ reset: [] }) },
  { tag: '!override', collection: 'seq', resolve: (seq) => ({ override: seq.toJSON() }) },
];
const load = (file: string) => parse(read(file), { customTags: composeTags }) as Compose;

/** docker-compose.yml with docker-compose.prod.yml merged over it, as Compose does for these keys. */
const production = (): Compose => {
  const base = load('docker-compose.yml');
  const prod = load('docker-compose.prod.yml');
  for (const [name, override] of Object.entries(prod.services)) {
    const service = base.services[name]!;
    service.environment = { ...service.environment, ...override.environment };
    const ports = override.ports as { reset?: unknown[]; override?: unknown[] } | undefined;
    if (ports?.reset) service.ports = ports.reset;
    if (ports?.override) service.ports = ports.override;
  }
  return base;
};

describe('docker-compose: local defaults marked, the production path safe', () => {
  it('marks every local-only default where it is set', () => {
    const lines = read('docker-compose.yml').split('\n');
    const markedBefore = (needle: string) => {
      const at = lines.findIndex((l) => l.includes(needle));
      expect(at, needle).toBeGreaterThan(0);
      expect(lines.slice(Math.max(0, at - 4), at).join('\n'), needle).toContain('LOCAL ONLY');
    };
    markedBefore('KURRENTDB_INSECURE');
    markedBefore('"2113:2113"');
    markedBefore('POSTGRES_PASSWORD: $' + '{POSTGRES_PASSWORD:-salesai}');
    markedBefore('GF_SECURITY_ADMIN_PASSWORD');
    expect(read('docker-compose.yml')).toContain(
      'docker compose -f docker-compose.yml -f docker-compose.prod.yml',
    );
  });

  it('in production: secrets only from the environment, no database port published, the rest on loopback', () => {
    const compose = production();
    const env = (service: string) => compose.services[service]!.environment ?? {};
    expect(env('postgres').POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(env('app').DATABASE_URL).toContain('${POSTGRES_PASSWORD:?');
    expect(env('app').SECRET_KEY).toMatch(/^\$\{SECRET_KEY:\?/);
    expect(env('app').ENVIRONMENT).toBe('production');
    expect(env('grafana').GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?/);
    for (const name of ['eventstore', 'postgres', 'redis']) {
      expect(compose.services[name]!.ports ?? [], name).toEqual([]);
    }
    for (const name of ['app', 'prometheus', 'grafana']) {
      for (const port of (compose.services[name]!.ports as string[]) ?? [])
        expect(port).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('the README documents the production command', () => {
    expect(read('README.md')).toContain(
      'docker compose -f docker-compose.yml -f docker-compose.prod.yml up -d',
    );
  });
});
