import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { dialogueProjection } from '../projections/dialogue/projection.ts';
import { growthProjection } from '../projections/growth/projection.ts';
import { insightsProjection } from '../projections/insights/projection.ts';
import type { ProjectionDefinition } from '../projections/projection.ts';
import { findGeneration } from '../projections/runner/generations.ts';
import { ProjectionRunner } from '../projections/runner/runner.ts';
import { silentLogger } from '../schemas/logger.ts';
import { appendGenerated, generateDialogues } from '../test/helpers/dialogue-events.ts';
import { storeTail } from '../test/helpers/store-tail.ts';
import { plainCodec } from '../write/event-store/codec.ts';
import { comparePositions } from '../write/event-store/port.ts';
import { createPostgresEventStore } from '../write/event-store/postgres/store.ts';
import { openBenchDatabase } from './lib/database.ts';
import type { Suite } from './lib/report.ts';

const definitions = [dialogueProjection, insightsProjection, growthProjection] as ProjectionDefinition[];

/**
 * Rebuild throughput: ~1,000,000 dialogue events applied into the read tables from position 0,
 * beside a raw COPY of the very rows the rebuild produced (into tables of the same shape and
 * indexes), in the same run.
 */
export const projectionsBench = async (): Promise<Suite> => {
  const target = Number(process.env.BENCH_REBUILD_EVENTS ?? 1_000_000);
  const db = await openBenchDatabase(40);
  const store = createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });
  try {
    // One exchange ≈ 3.3 events (message, reply, insight; feedback and session events now and then).
    const exchangesPerSession = 10;
    const sessionsPerUser = 30;
    const users = Math.max(1, Math.round(target / (3.4 * exchangesPerSession * sessionsPerUser)));
    process.stdout.write(
      `  generating and appending ~${target.toLocaleString('en-US')} events (${users} reps)…\n`,
    );
    for (let u = 0; u < users; u += 50) {
      const streams = generateDialogues({
        users: Math.min(50, users - u),
        sessionsPerUser,
        exchangesPerSession,
        firstUser: u,
      });
      await appendGenerated(store, streams, 1000);
    }
    const { rows } = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM es_events');
    const events = Number(rows[0]!.n);
    const head = await storeTail(db.pool);

    process.stdout.write(
      `  rebuilding ${definitions.map((d) => d.name).join(', ')} from ${events.toLocaleString('en-US')} events…\n`,
    );
    const started = performance.now();
    const runners = definitions.map((definition) => {
      const runner = new ProjectionRunner({
        definition,
        pool: db.pool,
        lockConfig: db.listenConfig,
        store,
        codec: plainCodec,
        logger: silentLogger,
        batchSize: Number(process.env.BENCH_BATCH ?? 1000),
        pollMs: 200,
      });
      runner.start();
      return runner;
    });
    for (const definition of definitions) {
      for (;;) {
        const live = await findGeneration(db.pool, definition.name, 'live');
        if (live && comparePositions(live.position, head) >= 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const rebuildMs = performance.now() - started;
    await Promise.all(runners.map((r) => r.stop()));

    // Baseline: COPY the same rows into tables of the same shape and indexes.
    let copyRows = 0;
    let copyMs = 0;
    for (const definition of definitions) {
      for (const table of definition.tables) {
        const live = await findGeneration(db.pool, definition.name, 'live');
        const physical = `${table}__g${live!.generation}`;
        await db.pool.query(`CREATE TABLE ${table}_copy (LIKE ${physical} INCLUDING ALL)`);
        const client = await db.pool.connect();
        try {
          const chunks: Buffer[] = [];
          for await (const chunk of client.query(copyTo(`COPY ${physical} TO STDOUT`)))
            chunks.push(chunk as Buffer);
          const t0 = performance.now();
          const sink = client.query(copyFrom(`COPY ${table}_copy FROM STDIN`));
          await pipeline(Readable.from(chunks), sink);
          copyMs += performance.now() - t0;
          copyRows += Number(sink.rowCount);
        } finally {
          client.release();
        }
      }
    }
    const rebuildRate = (events / rebuildMs) * 1000;
    const copyEventRate = (events / copyMs) * 1000;
    return {
      suite: 'projections rebuild',
      environment: {
        database: db.source,
        events,
        readRows: copyRows,
        projections: definitions.map((d) => d.name).join('+'),
      },
      figures: [
        { name: 'raw COPY of the same read rows (baseline)', value: copyEventRate, unit: 'events/s' },
        {
          name: `rebuild ${events.toLocaleString('en-US')} events into the read tables`,
          value: rebuildRate,
          unit: 'events/s',
          baseline: { name: 'raw COPY', value: copyEventRate },
          ratio: rebuildRate / copyEventRate,
          target: '≥ 25,000 events/s and ≥ 30% of COPY',
          met: rebuildRate >= 25_000 && rebuildRate / copyEventRate >= 0.3,
        },
      ],
    };
  } finally {
    await store.close();
    await db.drop();
  }
};
