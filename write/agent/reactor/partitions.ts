import { conversationOfStream } from '../../dialogue/stream.ts';
import type { RecordedEvent } from '../../event-store/port.ts';

/**
 * How the agent's work is divided between processes: conversations are hashed into a fixed
 * number of partitions; a process owns some partitions at a time (ops: a Postgres advisory lock
 * per partition), and each partition has a checkpoint of its own, so ownership can move from
 * one process to another without anything being handled twice or skipped.
 */

/**
 * The conversation an event belongs to: the `conversationId` of its metadata when the writer
 * put one there, else the conversation in its data (SessionStarted), else its dialogue stream.
 */
export const conversationKeyOf = (record: RecordedEvent): string => {
  const fromMetadata = (record.metadata as { conversationId?: unknown }).conversationId;
  if (typeof fromMetadata === 'string' && fromMetadata !== '') return fromMetadata;
  const data = record.data as { conversation?: { id?: unknown } } | null;
  const fromData = data?.conversation?.id;
  if (typeof fromData === 'string' && fromData !== '') return fromData;
  // A session's own stream (dialogue-<conversation>/<session>) or an older single stream.
  return conversationOfStream(record.streamId);
};

/** FNV-1a, 32 bits: stable across processes, versions and platforms. */
const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
};

export const partitionOf = (key: string, count: number): number => fnv1a(key) % count;

/** The checkpoint name of one partition (the count is part of it: another count is another layout). */
export const partitionCheckpointName = (reactor: string, partition: number, count: number) =>
  `${reactor}:${partition}/${count}`;

/**
 * What a process should do to hold its fair share of `count` partitions among `members`
 * processes: give some back (the newest members pick them up) or try to take more. A guest
 * takes everything while no member runs, and nothing while one does.
 */
export const rebalance = (
  owned: readonly number[],
  count: number,
  members: number,
  guest = false,
): { release: number[]; want: number } => {
  const share = guest ? (members > 0 ? 0 : count) : Math.ceil(count / Math.max(1, members));
  if (owned.length > share)
    return { release: [...owned].sort((a, b) => b - a).slice(0, owned.length - share), want: 0 };
  return { release: [], want: share - owned.length };
};
