import type pg from 'pg';
import { knowledgeProjection } from '../../../projections/knowledge/projection.ts';
import { findGeneration } from '../../../projections/runner/generations.ts';
import type { EventStore } from '../../../write/event-store/port.ts';

const knowledgeTypes: readonly string[] = knowledgeProjection.handles;

/**
 * Waits until the knowledge read model has applied every knowledge event in the store (the
 * seed has just published), so that the first answer can already cite documents. Gives up
 * quietly after `timeoutMs`: the chat then works, with fewer citations at first.
 */
export const waitForKnowledge = async (
  pool: pg.Pool,
  store: EventStore,
  timeoutMs = 20_000,
  pollMs = 100,
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const live = await findGeneration(pool, 'knowledge', 'live');
      if (live) {
        const after = await store.readAll({ after: live.position, maxCount: 1000, types: knowledgeTypes });
        if (!after.some((record) => knowledgeTypes.includes(record.type))) return true;
      }
    } catch {
      // The projection's tables may not exist yet.
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return false;
};
