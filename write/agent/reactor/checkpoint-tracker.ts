import type { Position } from '../../event-store/port.ts';

/**
 * Which position the reactor may store as its checkpoint while events are handled out of order
 * (different conversations in parallel). Events are tracked in the order the subscription
 * delivers them (increasing positions); the checkpoint is the position of the newest event such
 * that it and every event before it are finished. A restart from it redoes only unfinished work.
 */
export class CheckpointTracker {
  private readonly entries: { position: Position; done: boolean }[] = [];
  private head = 0;
  private base: number;
  private last: Position | null;

  constructor(start: Position | null) {
    this.last = start;
    this.base = 0;
  }

  /** Registers a delivered event; returns the ticket to finish it with. */
  track(position: Position): number {
    this.entries.push({ position, done: false });
    return this.base + this.entries.length - 1;
  }

  finish(ticket: number): void {
    const entry = this.entries[ticket - this.base];
    if (!entry) return;
    entry.done = true;
    while (this.head < this.entries.length && this.entries[this.head]!.done) {
      this.last = this.entries[this.head]!.position;
      this.head++;
    }
    // Drop the finished prefix now and then, so the array does not grow with the stream.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.base += this.head;
      this.head = 0;
    }
  }

  /** The checkpoint: everything up to here is finished (null: nothing yet, start from the beginning). */
  get checkpoint(): Position | null {
    return this.last;
  }

  /** Tracked events not finished yet. */
  get unfinished(): number {
    return this.entries.slice(this.head).filter((e) => !e.done).length;
  }
}
