import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionNames } from '../../projections/registry.ts';
import { seedDialogues } from '../helpers/dialogue-events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { childEnv } from '../helpers/process.ts';
import { projectionsCaughtUp } from '../helpers/rebuild-check.ts';
import { waitFor } from '../helpers/wait.ts';
import { probeProjection } from './probe/probe-projection.ts';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'probe/projector.ts');
const names = [...projectionNames, probeProjection.name];

type Sample = { at: number; owners: Record<string, string[]> };

/**
 * Two projector processes on one database: the advisory lock of each projection (read from
 * pg_locks by its exact key) has exactly one holder at every sample, and a deliberately
 * non-idempotent probe projection (a counter per event) ends with every event applied exactly
 * once — also after the owner of the probe is SIGKILLed mid-batch and the other takes over.
 */
describe('two projector processes at once', () => {
  let db: TestDatabase;
  const children = new Map<string, ChildProcess>();
  let events = 0;

  const start = (name: string) => {
    const child = spawn(process.execPath, [script, name], {
      env: childEnv({ DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema }),
      stdio: 'ignore',
    });
    children.set(name, child);
    return child;
  };
  const exited = (child: ChildProcess) =>
    new Promise((resolve) =>
      child.exitCode !== null || child.signalCode ? resolve(null) : child.on('exit', resolve),
    );

  /** The holders of each projection's lock now, by the application name of their connection. */
  const owners = async (): Promise<Record<string, string[]>> => {
    const { rows } = await db.pool.query<{ name: string; holders: string[] | null }>(
      `WITH keys AS (
         SELECT name, hashtext(current_schema() || ':projection:' || name)::bigint & 4294967295 AS key
           FROM unnest($1::text[]) AS name)
       SELECT k.name, array_agg(a.application_name) FILTER (WHERE l.pid IS NOT NULL) AS holders
         FROM keys k
         LEFT JOIN pg_locks l
           ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid::text::bigint = (hashtext('salesai.lock')::bigint & 4294967295)
          AND l.objid::text::bigint = k.key
         LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        GROUP BY k.name`,
      [names],
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.holders ?? []]));
  };

  beforeAll(async () => {
    db = await createTestDatabase({ max: 6 });
    await seedDialogues(db, { users: 20, sessionsPerUser: 10, exchangesPerSession: 6 });
    events = Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0]!.n);
  }, 300_000);
  afterAll(async () => {
    for (const child of children.values()) {
      child.kill('SIGTERM');
      await exited(child);
    }
    await db?.drop();
  });

  it('one owner per projection at every sample; the probe counts every event once', async () => {
    start('A');
    start('B');
    // Every projection gets an owner; from then on, always exactly one.
    await waitFor(async () => Object.values(await owners()).every((h) => h.length === 1), 60_000, 20);
    const samples: Sample[] = [];
    let handover = false;
    let done = false;
    const sampling = (async () => {
      while (!done) {
        const now = await owners();
        if (!handover) samples.push({ at: samples.length, owners: now });
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();

    // The probe's owner is killed in the middle of its work; the other process takes over.
    const probeApplied = async () =>
      Number(
        (
          await db.pool
            .query<{ n: string }>('SELECT count(*) AS n FROM probe_applied')
            .catch(() => ({ rows: [{ n: '0' }] }))
        ).rows[0]!.n,
      );
    await waitFor(async () => (await probeApplied()) > events / 4, 120_000, 20);
    const victim = (await owners())[probeProjection.name]![0]!.replace('projector-', '');
    handover = true;
    const appliedAtKill = await probeApplied();
    children.get(victim)!.kill('SIGKILL');
    await exited(children.get(victim)!);
    const survivor = victim === 'A' ? 'B' : 'A';
    // The survivor takes the probe, and every other projection the victim held (one lock at a time).
    await waitFor(
      async () => {
        const now = await owners();
        return (
          now[probeProjection.name]![0] === `projector-${survivor}` &&
          Object.values(now).every((holders) => holders.length === 1)
        );
      },
      60_000,
      20,
    );
    // And a new process joins again: two processes race for nothing now.
    start(`${victim}2`);
    handover = false;

    await projectionsCaughtUp(db.pool, [
      ...(await import('../../projections/registry.ts')).projections,
      probeProjection,
    ]);
    done = true;
    await sampling;

    // The kill landed while the probe was being built.
    expect(appliedAtKill).toBeLessThan(events);
    const wrong = samples.filter((s) => Object.values(s.owners).some((holders) => holders.length !== 1));
    expect(samples.length).toBeGreaterThan(20);
    expect(wrong.slice(0, 3)).toEqual([]);
    const { rows } = await db.pool.query<{ n: string; max: number; min: number }>(
      'SELECT count(*) AS n, max(applied) AS max, min(applied) AS min FROM probe_applied',
    );
    expect({ events: Number(rows[0]!.n), max: rows[0]!.max, min: rows[0]!.min }).toEqual({
      events,
      max: 1,
      min: 1,
    });
    const holders = new Set(samples.flatMap((s) => Object.values(s.owners).flat()));
    console.log(
      `two projectors: ${samples.length} samples of ${names.length} locks, each with exactly one holder ` +
        `(holders seen: ${[...holders].sort().join(', ')}); probe owner ${victim} SIGKILLed, ${survivor} took over; ` +
        `${events} events, each applied once`,
    );
  }, 400_000);
});
