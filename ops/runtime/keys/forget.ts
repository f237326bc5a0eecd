import type pg from 'pg';
import type { SafeCache } from '../../../projections/cache/safe.ts';
import { eventDefinitions, eventTypes } from '../../../schemas/events/index.ts';
import type { DataKeyRepository } from '../../../write/crypto/data-key-repository.ts';
import type { DataKeys } from '../../../write/crypto/data-keys.ts';
import { keyRefPrefixOf } from '../../../write/crypto/sealed-text.ts';
import type { EventStore, Position } from '../../../write/event-store/port.ts';
import { announceForgotten } from './forget-signal.ts';
import { appendToLedger } from './shredding-ledger.ts';

export type ForgetReport = {
  userId: string;
  /** False when the user never had a data key: nothing of theirs was sealed. */
  hadKey: boolean;
  generation: number | null;
  /** Events whose personal fields were sealed with this user's keys, by type: now unreadable. */
  events: Record<string, number>;
  /** Read rows whose text columns hold this user's sealed text, by table: now unreadable. */
  readRows: Record<string, number>;
};

export type ForgetDeps = {
  pool: pg.Pool;
  store: EventStore;
  repository: DataKeyRepository;
  dataKeys: DataKeys;
  cache: SafeCache | null;
  /** The shredding ledger file (see shredding-ledger.ts); restore re-applies what it records. */
  ledgerFile: string;
  now?: () => Date;
};

/** The read tables' personal text columns (the projections copy sealed values as they are). */
const readColumns = [
  ['dialogue_messages', 'text'],
  ['dialogue_sessions', 'persona'],
  ['dialogue_feedback', 'comment'],
  ['conversation_insights', 'summary'],
  ['manager_reviews', 'comment'],
] as const;

const personalTypes = eventTypes.filter((t) => eventDefinitions[t].personalFields.length > 0);

/** Scans the whole store (either adapter) for events holding this user's sealed fields. */
const countSealedEvents = async (
  store: EventStore,
  userId: string,
  onProgress: (scanned: number) => void,
) => {
  const prefix = keyRefPrefixOf(userId);
  const counts: Record<string, number> = {};
  let after: Position | undefined;
  let scanned = 0;
  for (;;) {
    const batch = await store.readAll({ ...(after ? { after } : {}), maxCount: 1000, types: personalTypes });
    if (batch.length === 0) return counts;
    for (const record of batch) {
      const definition = eventDefinitions[record.type as (typeof personalTypes)[number]];
      const data = record.data as Record<string, unknown>;
      const sealed = definition?.personalFields.some((field) => {
        const value = data[field];
        return Array.isArray(value)
          ? value.some((v) => typeof v === 'string' && v.startsWith(prefix))
          : typeof value === 'string' && value.startsWith(prefix);
      });
      if (sealed) counts[record.type] = (counts[record.type] ?? 0) + 1;
    }
    scanned += batch.length;
    after = batch.at(-1)!.position;
    onProgress(scanned);
  }
};

const countReadRows = async (pool: pg.Pool, userId: string) => {
  const prefix = keyRefPrefixOf(userId);
  const rows: Record<string, number> = {};
  for (const [table, column] of readColumns) {
    try {
      const { rows: r } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} WHERE user_id = $1 AND starts_with(${column}, $2)`,
        [userId, prefix],
      );
      rows[table] = r[0]?.n ?? 0;
    } catch (error) {
      // A projection not built yet has no table: nothing of the user is in it.
      if ((error as { code?: string }).code !== '42P01') throw error;
    }
  }
  return rows;
};

/**
 * Crypto-shredding: the user's data key is destroyed, so every sealed copy of their text (events,
 * read tables, caches, any backup made from now on) is unreadable at once, with no event or row
 * rewritten. Ids, timestamps and scores (no identity in them beyond the id) stay, so aggregates
 * and growth history keep working. Other processes drop their cached copy of the key within its
 * TTL (a minute). The shredding ledger keeps the forget across restores of older backups.
 */
export const forgetUser = async (
  deps: ForgetDeps,
  userId: string,
  onProgress: (scanned: number) => void = () => {},
): Promise<ForgetReport> => {
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const existing = await deps.repository.find(userId);
  // Recorded (and flushed) before the key goes: a restore of an older backup must find it.
  if (existing)
    await appendToLedger(deps.ledgerFile, [{ subjectId: userId, generation: existing.generation, at }]);
  const destroyed = await deps.repository.destroy(userId);
  // The person wrote again between the two reads: that newer generation is gone too.
  if (destroyed && destroyed.generation > (existing?.generation ?? 0))
    await appendToLedger(deps.ledgerFile, [{ subjectId: userId, generation: destroyed.generation, at }]);
  deps.dataKeys.evict(userId);
  // Serving processes drop what they keep of the person in memory (session cache, Home tab).
  await announceForgotten(deps.pool, userId);
  // Cached pages hold sealed text only; a new generation makes them be read again anyway.
  await deps.cache?.bump(`user:${userId}`);
  return {
    userId,
    hadKey: destroyed !== null,
    generation: destroyed?.generation ?? null,
    events: await countSealedEvents(deps.store, userId, onProgress),
    readRows: await countReadRows(deps.pool, userId),
  };
};
