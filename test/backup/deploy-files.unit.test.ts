import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { metricNames } from '../../schemas/api/metrics.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const yaml = (file: string) => parse(read(file)) as Record<string, unknown>;

/** `[Section]` and `Key=value` lines of a systemd unit. */
const unit = (file: string) => {
  const sections: Record<string, Record<string, string[]>> = {};
  let current = '';
  for (const line of read(file).split('\n')) {
    const section = /^\[(\w+)\]$/.exec(line.trim());
    if (section) {
      current = section[1]!;
      sections[current] = {};
    } else if (/^\w+=/.test(line)) {
      const [key, ...rest] = line.split('=');
      const values = sections[current]![key!] ?? [];
      values.push(rest.join('='));
      sections[current]![key!] = values;
    }
  }
  return sections;
};

describe('deployment files', () => {
  it('the systemd units start the CLI with restart and a graceful stop', () => {
    const service = unit('ops/deploy/ai-sales-agent.service');
    expect(service.Unit?.After?.[0]).toBe('network.target postgresql.service redis.service');
    expect(service.Service?.ExecStart?.[0]).toMatch(/node_modules\/\.bin\/node ops\/bin\/salesai\.js serve/);
    expect(service.Service).toMatchObject({
      User: ['salesai'],
      EnvironmentFile: ['/etc/ai-sales-agent/env'],
      Restart: ['always'],
      RestartSec: ['10'],
      KillSignal: ['SIGTERM'],
    });
    expect(unit('ops/deploy/ai-sales-agent@.service').Service?.ExecStart?.[0]).toMatch(/serve --role %i$/);
    expect(unit('ops/deploy/salesai-backup.service').Service?.ExecStart?.[0]).toMatch(/salesai\.js backup/);
    expect(unit('ops/deploy/salesai-backup.timer').Timer?.OnCalendar).toEqual(['*-*-* 02:00:00']);
    expect(read('ops/deploy/backup.cron')).toMatch(/^0 2 \* \* \* salesai .*salesai\.js backup/m);
  });

  it('the nginx site proxies to the app with the WebSocket headers and guards /metrics', () => {
    const conf = read('ops/deploy/nginx.conf');
    expect(conf).toContain('server 127.0.0.1:8000;');
    expect(conf).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(conf).toContain('proxy_set_header Connection $connection_upgrade;');
    expect(conf).toContain('X-Forwarded-For $proxy_add_x_forwarded_for');
    expect(conf).toMatch(/location = \/metrics \{[^}]*deny all;/);
    // Balanced braces: a cheap stand-in for `nginx -t` where nginx is not installed.
    expect(conf.split('{').length).toBe(conf.split('}').length);
  });

  it('Prometheus config and alert rules parse and use the app metric names', () => {
    const prometheus = yaml('ops/deploy/prometheus.yml');
    expect(prometheus.scrape_configs).toEqual([
      expect.objectContaining({ job_name: 'ai-sales-agent', metrics_path: '/metrics' }),
    ]);
    const rules = (yaml('ops/deploy/alerts.yml').groups as { rules: { alert: string; expr: string }[] }[])[0]!
      .rules;
    const byName = Object.fromEntries(rules.map((r) => [r.alert, r.expr]));
    expect(byName.InstanceDown).toContain('up{');
    expect(byName.ProjectionLagging).toContain(metricNames.projectionLag);
    expect(byName.HighHttpErrorRate).toContain(`${metricNames.httpRequestDuration}_count{status=~"5.."}`);
    expect(byName.LlmFailures).toContain(metricNames.llmFailures);
    expect(byName.SlackErrors).toContain(metricNames.slackErrors);
    expect(byName.DeadLetters).toContain(metricNames.deadLetters);
    expect(byName.EventStoreSubscriptionStopped).toContain(metricNames.eventStoreSubscriptionFailures);
  });

  it('the Grafana dashboard is JSON with a panel per metric', () => {
    const dashboard = JSON.parse(read('ops/deploy/grafana-dashboard.json')) as {
      panels: { targets: { expr: string }[] }[];
    };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    for (const name of Object.values(metricNames)) expect(exprs).toContain(name);
    yaml('ops/deploy/grafana/datasource.yml');
    yaml('ops/deploy/grafana/dashboards.yml');
  });

  it('docker-compose has the services and mounts the monitoring files that exist', () => {
    const compose = yaml('docker-compose.yml') as {
      services: Record<string, { volumes?: string[]; profiles?: string[] }>;
    };
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['eventstore', 'postgres', 'redis', 'app', 'prometheus', 'grafana']),
    );
    expect(compose.services.prometheus?.profiles).toEqual(['monitoring']);
    for (const service of Object.values(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./')) expect(() => read(source)).not.toThrow();
      }
    }
  });
});
