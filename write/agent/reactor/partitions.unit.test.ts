import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../event-store/port.ts';
import { conversationKeyOf, partitionOf, rebalance } from './partitions.ts';

const record = (over: Partial<RecordedEvent>): RecordedEvent => ({
  id: 'e',
  streamId: 'dialogue-T1:D1:dm',
  revision: 0n,
  position: { commit: 1n, prepare: 1n },
  type: 'MessageReceived',
  version: 2,
  data: {},
  metadata: {},
  createdAt: new Date(0),
  ...over,
});

describe('partitions', () => {
  it('keys an event on its conversation: metadata, then data, then the dialogue stream', () => {
    expect(conversationKeyOf(record({ metadata: { conversationId: 'T1:C9:1.2' } }))).toBe('T1:C9:1.2');
    expect(conversationKeyOf(record({ data: { conversation: { id: 'T1:D1:dm' } } }))).toBe('T1:D1:dm');
    expect(conversationKeyOf(record({}))).toBe('T1:D1:dm');
  });

  it('puts a conversation in the same partition every time, and spreads conversations out', () => {
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 800; i++) counts[partitionOf(`T1:D${i}:dm`, 8)]++;
    expect(partitionOf('T1:D7:dm', 8)).toBe(partitionOf('T1:D7:dm', 8));
    for (const n of counts) expect(n).toBeGreaterThan(50);
  });

  it('gives each process its fair share: the first takes all, a newcomer gets half', () => {
    expect(rebalance([], 16, 1)).toEqual({ release: [], want: 16 });
    const all = Array.from({ length: 16 }, (_, i) => i);
    expect(rebalance(all, 16, 2)).toEqual({ release: [15, 14, 13, 12, 11, 10, 9, 8], want: 0 });
    expect(rebalance([0, 1, 2, 3, 4, 5, 6, 7], 16, 2)).toEqual({ release: [], want: 0 });
    // A member died: the survivors' share grows and they take its partitions.
    expect(rebalance([0, 1, 2, 3, 4, 5], 16, 2)).toEqual({ release: [], want: 2 });
    expect(rebalance([0, 1, 2, 3, 4, 5], 16, 3)).toEqual({ release: [], want: 0 });
  });

  it('lets a guest work only while no member does', () => {
    expect(rebalance([], 4, 0, true)).toEqual({ release: [], want: 4 });
    expect(rebalance([0, 1, 2, 3], 4, 1, true)).toEqual({ release: [3, 2, 1, 0], want: 0 });
  });
});
