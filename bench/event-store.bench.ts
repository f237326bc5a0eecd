import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '../write/event-store/port.ts';
import { createPostgresEventStore } from '../write/event-store/postgres/store.ts';
import { openBenchDatabase } from './lib/database.ts';
import type { Suite } from './lib/report.ts';

const payload = (i: number): EventToAppend => ({
  id: randomUUID(),
  type: 'MessageReceived',
  version: 2,
  data: {
    sessionId: randomUUID(),
    messageId: `1712000000.${String(i).padStart(6, '0')}`,
    seq: i % 50,
    userId: 'U2CERLKJA',
    role: 'user',
    text: 'お客様から「他社の方が安い」と言われました。価格以外の価値をどう伝えればよいでしょうか？',
    format: 'plain',
    replyTo: null,
    citations: [],
    sentAt: '2026-11-23T09:00:00.000Z',
  },
  metadata: {
    eventId: randomUUID(),
    correlationId: randomUUID(),
    causationId: null,
    occurredAt: '2026-11-23T09:00:00.000Z',
    actor: { kind: 'user', id: 'U2CERLKJA' },
    slackEventId: `Ev${i}`,
  },
});

const rate = (events: number, ms: number) => (events / ms) * 1000;

/**
 * Batched append, 16 concurrent single-event appends, and — in the same run, on the same
 * server — a raw multi-row INSERT of the same payloads into a plain table.
 */
export const eventStoreBench = async (): Promise<Suite> => {
  const db = await openBenchDatabase(40);
  const store = createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });
  const batchSize = 100;
  const batches = Number(process.env.BENCH_BATCHES ?? 300);
  const concurrentTotal = Number(process.env.BENCH_CONCURRENT_EVENTS ?? 6000);
  try {
    await db.pool.query(
      'CREATE TABLE raw_events (id uuid PRIMARY KEY, stream_id text NOT NULL, type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL)',
    );
    const makeBatches = () =>
      Array.from({ length: batches }, (_, b) =>
        Array.from({ length: batchSize }, (_, i) => payload(b * batchSize + i)),
      );

    // Warm-up: connections, prepared statements, caches.
    for (const batch of makeBatches().slice(0, 10))
      await store.append(`warm-${randomUUID()}`, batch, 'no_stream');

    const rawBatches = makeBatches();
    let started = performance.now();
    for (const [b, batch] of rawBatches.entries()) {
      const values: unknown[] = [];
      const rows = batch.map((e, i) => {
        values.push(e.id, `raw-${b}`, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata));
        const o = i * 5;
        return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}::jsonb, $${o + 5}::jsonb)`;
      });
      await db.pool.query(
        `INSERT INTO raw_events (id, stream_id, type, data, metadata) VALUES ${rows.join(', ')}`,
        values,
      );
    }
    const raw = rate(batches * batchSize, performance.now() - started);

    const appendBatches = makeBatches();
    started = performance.now();
    for (const batch of appendBatches) await store.append(`bench-${randomUUID()}`, batch, 'no_stream');
    const batched = rate(batches * batchSize, performance.now() - started);

    let next = 0;
    started = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async (_, w) => {
        const stream = `single-${w}-${randomUUID()}`;
        let expected: bigint | 'no_stream' = 'no_stream';
        while (next < concurrentTotal) {
          next++;
          const result = await store.append(stream, [payload(next)], expected);
          expected = result.nextRevision;
        }
      }),
    );
    const concurrent = rate(concurrentTotal, performance.now() - started);

    const baseline = { name: 'raw multi-row INSERT', value: raw };
    return {
      suite: 'event store (Postgres)',
      environment: {
        database: db.source,
        batchSize,
        batches,
        concurrentWriters: 16,
        concurrentEvents: concurrentTotal,
      },
      figures: [
        { name: 'raw multi-row INSERT (baseline)', value: raw, unit: 'events/s' },
        {
          name: 'batched append (100 events/append)',
          value: batched,
          unit: 'events/s',
          baseline,
          ratio: batched / raw,
          target: '≥ 20,000 events/s and ≥ 50% of raw',
          met: batched >= 20_000 && batched / raw >= 0.5,
        },
        {
          name: '16 concurrent single-event appends',
          value: concurrent,
          unit: 'events/s',
          baseline,
          ratio: concurrent / raw,
          target: '≥ 3,000 events/s',
          met: concurrent >= 3000,
        },
      ],
    };
  } finally {
    await store.close();
    await db.drop();
  }
};
