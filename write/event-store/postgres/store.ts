import type pg from 'pg';
import { AppError, PartialRepeatError, WrongExpectedRevisionError } from '../../../schemas/errors.ts';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StoreHealth,
  SubscribeOptions,
  Subscription,
} from '../port.ts';
import { START } from '../port.ts';
import { Notifier } from './notifier.ts';
import { type EventRow, eventColumns, positionParams, toRecordedEvent } from './rows.ts';
import { pollingSubscription } from './subscription.ts';
import { createWakeSender } from './wake-sender.ts';

type Logger = { warn(obj: object, msg: string): void };

export type PostgresStoreOptions = {
  pool: pg.Pool;
  /** The schema the store's tables live in (the pool's search_path). */
  schema: string;
  /** Connection settings for the LISTEN connection (same database as the pool). */
  listenConfig: pg.ClientConfig;
  pollIntervalMs?: number;
  logger?: Logger;
};

const expectedParam = (expected: ExpectedRevision): string =>
  typeof expected === 'bigint' ? expected.toString() : expected;

/** A transaction that failed for reasons worth one more try: serialization, deadlock, duplicate race. */
const isRetryable = (error: unknown) => {
  const code = (error as { code?: string }).code;
  return code === '40001' || code === '40P01' || code === '23505';
};

export const createPostgresEventStore = (options: PostgresStoreOptions): EventStore => {
  const { pool, schema } = options;
  const notifier = new Notifier(options.listenConfig, schema, options.logger);
  const wakeSubscribers = createWakeSender(pool, schema, () => notifier.wakeLocal());

  const readAll = async ({
    after = START,
    maxCount = 500,
    types,
  }: ReadAllOptions = {}): Promise<RecordedEvent[]> => {
    const [commit, prepare] = positionParams(after);
    const { rows } = await pool.query<EventRow>({
      name: `es_read_all_${schema}`,
      text: `SELECT ${eventColumns} FROM es_events
             WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
               AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
               AND ($4::text[] IS NULL OR type = ANY ($4::text[]))
             ORDER BY es_events.transaction_id, es_events.global_position
             LIMIT $3`,
      values: [commit, prepare, maxCount, types ?? null],
    });
    return rows.map(toRecordedEvent);
  };

  const appendOnce = async (
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> => {
    const payload = JSON.stringify(
      events.map((e) => ({ id: e.id, type: e.type, version: e.version, data: e.data, metadata: e.metadata })),
    );
    try {
      const { rows } = await pool.query<{
        next_revision: string;
        commit_position: string;
        prepare_position: string;
        duplicate: boolean;
      }>({
        name: `es_append_${schema}`,
        text: 'SELECT next_revision, commit_position::text, prepare_position, duplicate FROM es_append($1, $2, $3::jsonb)',
        values: [streamId, expectedParam(expected), payload],
      });
      const row = rows[0]!;
      return {
        nextRevision: BigInt(row.next_revision),
        position: { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) },
        duplicate: row.duplicate,
      };
    } catch (error) {
      const pgError = error as { code?: string; detail?: string };
      if (pgError.code === 'SA409') {
        throw new WrongExpectedRevisionError(
          streamId,
          expectedParam(expected),
          BigInt(pgError.detail ?? '-1'),
        );
      }
      if (pgError.code === 'SA422') {
        throw new PartialRepeatError(streamId);
      }
      throw error;
    }
  };

  const store: EventStore = {
    kind: 'postgres',

    async append(streamId, events, expectedRevision = 'any') {
      if (events.length === 0) throw new AppError('VALIDATION', 'append needs at least one event');
      let result: AppendResult;
      try {
        result = await appendOnce(streamId, events, expectedRevision);
      } catch (error) {
        // A concurrent identical append can win the unique index race; the second try sees it.
        if (!isRetryable(error)) throw error;
        result = await appendOnce(streamId, events, expectedRevision);
      }
      if (!result.duplicate) wakeSubscribers();
      return result;
    },

    async readStream(
      streamId,
      { fromRevision, direction = 'forwards', maxCount = 10_000 }: ReadStreamOptions = {},
    ) {
      const forwards = direction === 'forwards';
      const from = fromRevision ?? (forwards ? 0n : 9223372036854775807n);
      const { rows } = await pool.query<EventRow>({
        name: `es_read_stream_${forwards ? 'f' : 'b'}_${schema}`,
        text: `SELECT ${eventColumns} FROM es_events
               WHERE stream_id = $1 AND stream_revision ${forwards ? '>=' : '<='} $2
               ORDER BY stream_revision ${forwards ? 'ASC' : 'DESC'} LIMIT $3`,
        values: [streamId, from.toString(), maxCount],
      });
      return rows.map(toRecordedEvent);
    },

    readAll,

    subscribeToAll(subscribeOptions: SubscribeOptions = {}): Subscription {
      const types = subscribeOptions.types;
      const read = (after: Position, maxCount: number) =>
        readAll({ after, maxCount, ...(types ? { types } : {}) });
      return pollingSubscription(read, notifier, {
        ...subscribeOptions,
        pollIntervalMs: options.pollIntervalMs ?? 250,
        ...(options.logger ? { logger: options.logger } : {}),
      });
    },

    async headPosition(): Promise<Position> {
      const { rows } = await pool.query<{ commit_position: string; global_position: string }>(
        `SELECT transaction_id::text AS commit_position, global_position FROM es_events
         WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY es_events.transaction_id DESC, es_events.global_position DESC LIMIT 1`,
      );
      const row = rows[0];
      return row ? { commit: BigInt(row.commit_position), prepare: BigInt(row.global_position) } : START;
    },

    async countEventsAfter(after: Position, cap: number, types?: readonly string[]): Promise<number> {
      const [commit, prepare] = positionParams(after);
      const { rows } = await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM (
           SELECT 1 FROM es_events
            WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
              AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
              AND ($4::text[] IS NULL OR type = ANY ($4::text[]))
            LIMIT $3) t`,
        [commit, prepare, cap, types ?? null],
      );
      return Number(rows[0]!.n);
    },

    async health(): Promise<StoreHealth> {
      const started = performance.now();
      try {
        await pool.query('SELECT 1 FROM es_streams LIMIT 1');
        return { ok: true, latencyMs: round(performance.now() - started) };
      } catch (error) {
        return { ok: false, latencyMs: round(performance.now() - started), detail: (error as Error).message };
      }
    },

    async close() {
      await notifier.close();
    },
  };
  return store;
};

const round = (ms: number) => Math.round(ms * 100) / 100;
