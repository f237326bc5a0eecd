import type pg from 'pg';
import { AppError } from '../../schemas/errors.ts';
import { isEventType, type SalesEvent } from '../../schemas/events/index.ts';
import type { EventCodec } from '../../write/event-store/codec.ts';
import { comparePositions, type Position, type RecordedEvent } from '../../write/event-store/port.ts';
import { generationTables, type PositionedEvent, type ProjectionDefinition } from '../projection.ts';

export type BatchOutcome = {
  applied: number;
  deadLettered: number;
  position: Position;
  scopes: Set<string>;
};

export type ErrorPolicy = 'skip' | 'stop';

/** Raised when the checkpoint moved under us: another runner owns the projection now. */
export class LostOwnershipError extends Error {
  constructor(name: string) {
    super(`projection ${name}: lost ownership (its lock or its checkpoint moved to another runner)`);
    this.name = 'LostOwnershipError';
  }
}

const deadLetter = async (
  client: pg.ClientBase,
  name: string,
  generation: number,
  record: RecordedEvent,
  error: unknown,
) => {
  await client.query(
    `INSERT INTO projection_dead_letters
       (name, generation, event_id, event_type, stream_id, commit_position, prepare_position, error, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (name, generation, event_id) DO NOTHING`,
    [
      name,
      generation,
      record.id,
      record.type,
      record.streamId,
      record.position.commit.toString(),
      record.position.prepare.toString(),
      error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      JSON.stringify({ version: record.version, data: record.data, metadata: record.metadata }),
    ],
  );
};

/**
 * Applies a batch of events to one generation and moves its checkpoint, in one transaction.
 * The checkpoint row is locked and compared first, so two runners can never both apply a batch.
 * A failing event is retried alone; if it still fails it goes to the dead letters (policy
 * `skip`) or stops the projection (policy `stop`).
 */
export const applyBatch = async (
  pool: pg.Pool,
  definition: ProjectionDefinition,
  generation: number,
  codec: EventCodec,
  records: readonly RecordedEvent[],
  expected: Position,
  policy: ErrorPolicy,
  /**
   * Move the checkpoint at least this far: a reader that asked only for some event types knows
   * nothing it wants lies between the last record and this position.
   */
  advanceTo?: Position,
): Promise<BatchOutcome> => {
  const last = records.at(-1);
  let target = last?.position ?? expected;
  if (advanceTo && comparePositions(advanceTo, target) > 0) target = advanceTo;
  if (comparePositions(target, expected) <= 0)
    return { applied: 0, deadLettered: 0, position: expected, scopes: new Set() };
  const tables = generationTables(definition, generation);
  const handled = new Set<string>(definition.handles);

  // Decode outside the transaction; a record that cannot be decoded is a poison event too.
  const decoded: { record: RecordedEvent; event?: SalesEvent; error?: unknown }[] = [];
  for (const record of records) {
    if (!isEventType(record.type) || !handled.has(record.type)) continue;
    try {
      decoded.push({ record, event: await codec.decodeTrusted(record) });
    } catch (error) {
      decoded.push({ record, error });
    }
  }

  const client = await pool.connect();
  let released = false;
  try {
    await client.query('BEGIN');
    // The serving pool's statement_timeout bounds requests; a batch is work that must finish
    // (a cancelled statement here would send sound events to the dead letters).
    await client.query('SET LOCAL statement_timeout = 0');
    const { rows } = await client.query<{ commit_position: string; prepare_position: string }>(
      'SELECT commit_position, prepare_position FROM projection_generations WHERE name = $1 AND generation = $2 FOR UPDATE',
      [definition.name, generation],
    );
    const row = rows[0];
    if (!row)
      throw new AppError(
        'NOT_FOUND',
        `projection ${definition.name} generation ${generation} does not exist`,
      );
    const stored = { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) };
    if (comparePositions(stored, expected) !== 0) throw new LostOwnershipError(definition.name);

    const scopes = new Set<string>();
    let deadLettered = 0;
    const good = decoded.filter((d) => d.event !== undefined) as {
      record: RecordedEvent;
      event: SalesEvent;
    }[];
    const fastPath = decoded.every((d) => d.event !== undefined);
    let applied = false;
    if (fastPath && good.length > 0) {
      await client.query('SAVEPOINT batch');
      try {
        if (definition.applyBatch) {
          const events: PositionedEvent[] = good.map((g) => ({
            event: g.event,
            position: g.record.position,
          }));
          await definition.applyBatch(events, { client, tables });
        } else {
          for (const g of good)
            await definition.apply(g.event, { client, tables, position: g.record.position });
        }
        await client.query('RELEASE SAVEPOINT batch');
        applied = true;
      } catch {
        await client.query('ROLLBACK TO SAVEPOINT batch');
      }
    }
    if (!applied) {
      // Slow path: event by event, so one poison event does not hold back the others.
      for (const d of decoded) {
        let failure = d.error;
        if (d.event) {
          await client.query('SAVEPOINT one');
          try {
            await definition.apply(d.event, { client, tables, position: d.record.position });
            await client.query('RELEASE SAVEPOINT one');
            continue;
          } catch (error) {
            await client.query('ROLLBACK TO SAVEPOINT one');
            failure = error;
          }
        }
        if (policy === 'stop') {
          throw new AppError(
            'INTERNAL',
            `projection ${definition.name} stopped at event ${d.record.id} (${d.record.type})`,
            {
              position: `${d.record.position.commit}/${d.record.position.prepare}`,
              cause: String(failure),
            },
          );
        }
        await deadLetter(client, definition.name, generation, d.record, failure);
        deadLettered++;
      }
    }
    for (const g of good) for (const scope of definition.cacheScopes?.(g.event) ?? []) scopes.add(scope);

    await client.query(
      `UPDATE projection_generations
          SET commit_position = $3, prepare_position = $4, events_processed = events_processed + $5,
              last_event_at = coalesce($6, last_event_at), updated_at = now()
        WHERE name = $1 AND generation = $2`,
      [
        definition.name,
        generation,
        target.commit.toString(),
        target.prepare.toString(),
        records.length,
        last?.createdAt ?? null,
      ],
    );
    await client.query('COMMIT');
    return { applied: good.length, deadLettered, position: target, scopes };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    // A connection that failed mid-transaction is not returned to the pool.
    client.release(
      error instanceof LostOwnershipError || error instanceof AppError ? undefined : (error as Error),
    );
    released = true;
    throw error;
  } finally {
    if (!released) client.release();
  }
};
