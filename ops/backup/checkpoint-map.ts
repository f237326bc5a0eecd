import {
  comparePositions,
  type Position,
  parsePosition,
  positionToString,
  START,
} from '../../write/event-store/port.ts';

/**
 * Positions are the store's own (the Postgres store's transaction ids; EventStoreDB's log
 * offsets), so a restored event gets a new one. A checkpoint saved by a reactor (the agent) in
 * the old numbering is moved to the new position of the last event at or before it, which
 * keeps "handled up to here" true without replying twice to restored messages.
 */
export class CheckpointMap {
  private readonly targets: { old: Position; mapped: Position }[];
  private next = 0;

  constructor(oldPositions: readonly string[]) {
    const unique = [...new Set(oldPositions)].map(parsePosition).sort(comparePositions);
    this.targets = unique.map((old) => ({ old, mapped: START }));
  }

  /** True when an event at `oldPosition` would be the first one past a checkpoint still open. */
  crossesBoundary(oldPosition: Position): boolean {
    const target = this.targets[this.next];
    return target !== undefined && comparePositions(oldPosition, target.old) > 0;
  }

  /** Call in global order with each event's old position and the new position it now has. */
  record(oldPosition: Position, newPosition: Position) {
    this.close(oldPosition);
    for (let i = this.next; i < this.targets.length; i++) this.targets[i]!.mapped = newPosition;
  }

  /** Closes the checkpoints an event at `oldPosition` lies beyond. */
  close(oldPosition: Position) {
    while (this.next < this.targets.length && comparePositions(oldPosition, this.targets[this.next]!.old) > 0)
      this.next++;
  }

  get isEmpty() {
    return this.targets.length === 0;
  }

  mapped(): Map<string, Position> {
    return new Map(this.targets.map((t) => [positionToString(t.old), t.mapped]));
  }
}
