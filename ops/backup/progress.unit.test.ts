import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.ts';

const capture = () => {
  const lines: string[] = [];
  const out = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    }),
    { isTTY: false },
  );
  return { out, lines };
};

describe('progress without a terminal', () => {
  it('writes one line per step (its note), never the same count line again', () => {
    const { out, lines } = capture();
    const now = 0;
    const progress = createProgress(out, false, { heartbeatMs: 30_000, now: () => now });
    // As backup drives it: a step per table, each reported through the same start/update calls.
    progress.start('tables', 15);
    for (let done = 1; done <= 15; done++) progress.update(done);
    progress.stop();
    progress.note('tables: 15 (120 rows)');
    progress.start('events', 0);
    progress.update(0);
    progress.stop();
    progress.note('events: 0 in 0 streams');
    expect(lines).toEqual(['tables: 15 (120 rows)', 'events: 0 in 0 streams']);
  });

  it('a long step gets a line at most every heartbeat, and only when its count moved', () => {
    const { out, lines } = capture();
    let now = 0;
    const progress = createProgress(out, false, { heartbeatMs: 30_000, now: () => now });
    progress.start('events', 300_000);
    for (let done = 1000; done <= 300_000; done += 1000) {
      now += 1000;
      progress.update(done);
      progress.update(done);
    }
    now += 60_000;
    progress.update(300_000);
    progress.stop();
    expect(lines).toEqual([
      'events: 30000/300000 so far',
      'events: 60000/300000 so far',
      'events: 90000/300000 so far',
      'events: 120000/300000 so far',
      'events: 150000/300000 so far',
      'events: 180000/300000 so far',
      'events: 210000/300000 so far',
      'events: 240000/300000 so far',
      'events: 270000/300000 so far',
      'events: 300000/300000 so far',
    ]);
    expect(new Set(lines).size).toBe(lines.length);
  });
});
