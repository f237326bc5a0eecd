import type pg from 'pg';
import type { Logger } from '../../schemas/logger.ts';
import { sleep } from '../../schemas/sleep.ts';
import type { EventCodec } from '../../write/event-store/codec.ts';
import type { EventStore, Position, Subscription } from '../../write/event-store/port.ts';
import { START } from '../../write/event-store/port.ts';
import type { ProjectionDefinition } from '../projection.ts';
import { applyBatch, type BatchOutcome, type ErrorPolicy, LostOwnershipError } from './apply-batch.ts';
import { BatchReader } from './batch-reader.ts';
import {
  createGeneration,
  dropGenerationTables,
  exposeGeneration,
  findGeneration,
  type Generation,
} from './generations.ts';
import { AdvisoryLock } from './lock.ts';
import { takeRebuildRequests } from './rebuild-requests.ts';

export type RunnerHooks = {
  /** After a batch commits: its cache scopes are stale now. */
  afterCommit?: (
    name: string,
    outcome: BatchOutcome,
    generation: number,
    building: boolean,
  ) => Promise<void> | void;
  /** After a rebuilt generation went live. */
  afterSwap?: (name: string, generation: number) => Promise<void> | void;
};

export type RunnerOptions = {
  definition: ProjectionDefinition;
  pool: pg.Pool;
  /** Connection settings for the lock's own connection (same database and schema as the pool). */
  lockConfig: pg.ClientConfig;
  store: EventStore;
  codec: EventCodec;
  logger: Logger;
  batchSize?: number;
  onError?: ErrorPolicy;
  /** How often a waiting runner tries to take over, and how often the owner checks for requests. */
  pollMs?: number;
  hooks?: RunnerHooks;
};

export type RunnerStatus = 'starting' | 'standby' | 'running' | 'rebuilding' | 'stopped' | 'failed';

/**
 * Keeps one projection up to date. Exactly one runner per projection works at a time (an
 * advisory lock); the others wait and take over when it dies. The owner applies events in
 * batches with the checkpoint in the same transaction, and builds a new generation from the
 * start of the store when asked (or when the definition's version changed), swapping it in
 * atomically once it has caught up.
 */
export class ProjectionRunner {
  readonly name: string;
  status: RunnerStatus = 'starting';
  lastError: string | null = null;
  private readonly options: RunnerOptions;
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  private idle: (() => void) | null = null;

  constructor(options: RunnerOptions) {
    this.options = options;
    this.name = options.definition.name;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Stops at a batch boundary and releases the lock. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.idle?.();
    await this.running;
    this.status = 'stopped';
  }

  private get batchSize() {
    return this.options.batchSize ?? 500;
  }

  private async loop(): Promise<void> {
    const { logger, definition } = this.options;
    const lock = new AdvisoryLock(this.options.lockConfig, `projection:${definition.name}`);
    let backoff = 200;
    while (!this.abort.signal.aborted) {
      let acquired = false;
      try {
        acquired = await lock.tryAcquire();
      } catch (error) {
        this.lastError = (error as Error).message;
        logger.warn({ err: error, projection: this.name }, 'projection lock unavailable; retrying');
      }
      if (!acquired) {
        if (this.status !== 'failed') this.status = 'standby';
        await sleep(this.options.pollMs ?? 1000, this.abort.signal);
        continue;
      }
      try {
        // A failed run starts again while this process still holds the lock: the projection
        // keeps exactly one owner (a standby taking over would fail the same way on the same
        // events); the lock goes only with a stop or a lost connection.
        for (;;) {
          try {
            this.status = 'running';
            this.lastError = null;
            await this.runOwned(lock);
            backoff = 200;
            break;
          } catch (error) {
            if (this.abort.signal.aborted) break;
            this.lastError = (error as Error).message;
            this.status = 'failed';
            if (error instanceof LostOwnershipError) logger.warn({ projection: this.name }, error.message);
            else logger.error({ err: error, projection: this.name }, 'projection failed; restarting it');
            await sleep(backoff, this.abort.signal);
            backoff = Math.min(backoff * 2, 30_000);
            if (error instanceof LostOwnershipError || this.abort.signal.aborted) break;
            if (!(await lock.stillHeld().catch(() => false))) break;
          }
        }
      } finally {
        await lock.release();
      }
    }
  }

  /** Makes sure a live generation exists (the first start creates generation 1). */
  private async ensureLive(): Promise<Generation> {
    const { pool, definition } = this.options;
    const existing = await findGeneration(pool, definition.name, 'live');
    if (existing) return existing;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const generation = await createGeneration(client, definition, 'live');
      await exposeGeneration(client, definition, generation);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    return (await findGeneration(pool, definition.name, 'live'))!;
  }

  private async startBuild(): Promise<Generation> {
    const { pool, definition, logger } = this.options;
    const existing = await findGeneration(pool, definition.name, 'building');
    if (existing) return existing;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await createGeneration(client, definition, 'building');
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    const build = (await findGeneration(pool, definition.name, 'building'))!;
    logger.info(
      { projection: this.name, generation: build.generation },
      'rebuilding from the start of the event store',
    );
    return build;
  }

  /** The built generation goes live and the old one retires, in one transaction. */
  private async swap(live: Generation, build: Generation): Promise<void> {
    const { pool, definition, logger, hooks } = this.options;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        'SELECT 1 FROM projection_generations WHERE name = $1 AND generation IN ($2, $3) FOR UPDATE',
        [definition.name, live.generation, build.generation],
      );
      await client.query(
        "UPDATE projection_generations SET state = 'retired', finished_at = now(), updated_at = now() WHERE name = $1 AND generation = $2",
        [definition.name, live.generation],
      );
      await client.query(
        "UPDATE projection_generations SET state = 'live', finished_at = now(), updated_at = now() WHERE name = $1 AND generation = $2",
        [definition.name, build.generation],
      );
      await exposeGeneration(client, definition, build.generation);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    const dropper = await pool.connect();
    try {
      await dropGenerationTables(dropper, definition, live.generation);
    } finally {
      dropper.release();
    }
    logger.info({ projection: this.name, generation: build.generation }, 'rebuilt generation is live');
    await hooks?.afterSwap?.(this.name, build.generation);
  }

  /**
   * One batch of the event types the projection handles. The head position is read first: when
   * the batch comes back short, nothing the projection handles lies between its last event and
   * that head, so the checkpoint moves to the head.
   */
  private async step(generation: Generation, building: boolean) {
    const { pool, store, codec, definition, hooks } = this.options;
    const head = await store.headPosition();
    const records = await store.readAll({
      after: generation.position,
      maxCount: this.batchSize,
      types: definition.handles,
    });
    const caughtUp = records.length < this.batchSize;
    const outcome = await applyBatch(
      pool,
      definition,
      generation.generation,
      codec,
      records,
      generation.position,
      this.options.onError ?? 'skip',
      caughtUp ? head : undefined,
    );
    if (records.length > 0) await hooks?.afterCommit?.(this.name, outcome, generation.generation, building);
    return { position: outcome.position, count: records.length, caughtUp };
  }

  /** Batches of handled events from the checkpoint until a short batch; returns the new position. */
  private async catchUp(live: Generation): Promise<Position> {
    let generation = live;
    while (!this.abort.signal.aborted) {
      const step = await this.step(generation, false);
      generation = { ...generation, position: step.position };
      if (step.caughtUp) break;
    }
    return generation.position;
  }

  private async runOwned(lock: AdvisoryLock): Promise<void> {
    const { pool, store, codec, definition, hooks } = this.options;
    const policy = this.options.onError ?? 'skip';
    let live = await this.ensureLive();
    let build = await findGeneration(pool, definition.name, 'building');
    if (!build && live.version !== definition.version) build = await this.startBuild();

    // Catching up, a projection reads only the event types it handles; live, it follows everything.
    let livePosition = await this.catchUp(live);
    const follow = (after: Position) => store.subscribeToAll({ after, batchSize: this.batchSize });
    let subscription: Subscription = follow(livePosition);
    let reader = new BatchReader(subscription);
    let nextCheck = 0;
    try {
      while (!this.abort.signal.aborted) {
        if (Date.now() >= nextCheck) {
          nextCheck = Date.now() + (this.options.pollMs ?? 1000);
          if (!(await lock.stillHeld())) throw new LostOwnershipError(this.name);
          if ((await takeRebuildRequests(pool, definition.name)) && !build) build = await this.startBuild();
        }
        this.status = build ? 'rebuilding' : 'running';

        if (build) {
          const step = await this.step(build, true);
          build = { ...build, position: step.position, eventsProcessed: build.eventsProcessed + step.count };
          if (step.caughtUp) {
            await this.swap(live, build);
            live = { ...build, state: 'live' };
            build = null;
            // The live tail goes on from the new generation's checkpoint.
            await subscription.close();
            livePosition = await this.catchUp(live);
            subscription = follow(livePosition);
            reader = new BatchReader(subscription);
            continue;
          }
        }

        const records = await reader.take(this.batchSize, build ? 0 : (this.options.pollMs ?? 1000));
        if (reader.ended && !this.abort.signal.aborted) throw new Error('the event subscription ended');
        if (records.length === 0) continue;
        const outcome = await applyBatch(
          pool,
          definition,
          live.generation,
          codec,
          records,
          livePosition,
          policy,
        );
        livePosition = outcome.position;
        await hooks?.afterCommit?.(this.name, outcome, live.generation, false);
      }
    } finally {
      await subscription.close();
    }
  }
}

export { START };
