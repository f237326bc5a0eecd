import { describe, expect, it } from 'vitest';
import { type GateTimers, LlmGate } from './gate.ts';

/** A clock the test moves by hand. */
const manualTimers = () => {
  let now = 0;
  let timers: { at: number; fn: () => void }[] = [];
  const t: GateTimers & { advance: (ms: number) => void } = {
    now: () => now,
    after: (ms, fn) => {
      const entry = { at: now + ms, fn };
      timers.push(entry);
      return () => {
        timers = timers.filter((e) => e !== entry);
      };
    },
    advance: (ms) => {
      now += ms;
      const due = timers.filter((e) => e.at <= now);
      timers = timers.filter((e) => e.at > now);
      for (const e of due) e.fn();
    },
  };
  return t;
};

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

/** Starts an acquire and records when it is granted. */
const ask = (gate: LlmGate, granted: string[], name: string, priority?: 'reply' | 'background') => {
  const controller = new AbortController();
  const result = gate.acquire(controller.signal, priority).then((release) => {
    granted.push(name);
    return release;
  });
  result.catch(() => {});
  return { result, abort: () => controller.abort(new Error('gave up')) };
};

describe('LLM gate', () => {
  it('lets at most maxInFlight requests through and the next one when a place is given back', async () => {
    const gate = new LlmGate({ maxInFlight: 2, timers: manualTimers() });
    const granted: string[] = [];
    const a = ask(gate, granted, 'a');
    ask(gate, granted, 'b');
    ask(gate, granted, 'c');
    await flush();
    expect(granted).toEqual(['a', 'b']);
    expect(gate.figures()).toMatchObject({ inFlight: 2, waiting: 1 });
    const release = await a.result;
    release();
    release(); // giving back twice frees one place only
    await flush();
    expect(granted).toEqual(['a', 'b', 'c']);
    expect(gate.figures()).toMatchObject({ inFlight: 2, peakInFlight: 2, waiting: 0 });
  });

  it('serves replies before background work', async () => {
    const gate = new LlmGate({ maxInFlight: 1, timers: manualTimers() });
    const granted: string[] = [];
    const first = ask(gate, granted, 'first');
    ask(gate, granted, 'insight', 'background');
    ask(gate, granted, 'reply', 'reply');
    await flush();
    (await first.result)();
    await flush();
    expect(granted).toEqual(['first', 'reply']);
  });

  it('holds every request of the process while the provider asked to wait (429 retry-after)', async () => {
    const timers = manualTimers();
    const gate = new LlmGate({ maxInFlight: 10, timers });
    const granted: string[] = [];
    const running = ask(gate, granted, 'running');
    await flush();
    gate.pause(5_000);
    ask(gate, granted, 'new-call');
    ask(gate, granted, 'retry');
    await flush();
    expect(granted).toEqual(['running']);
    expect(gate.figures()).toMatchObject({ pausedForMs: 5_000, pauses: 1, waiting: 2 });
    // A place given back during the pause does not open the door either.
    (await running.result)();
    timers.advance(4_999);
    await flush();
    expect(granted).toEqual(['running']);
    timers.advance(1);
    await flush();
    expect(granted).toEqual(['running', 'new-call', 'retry']);
  });

  it('keeps the longer of two pauses and cuts a huge retry-after to maxPauseMs', async () => {
    const timers = manualTimers();
    const gate = new LlmGate({ maxInFlight: 1, maxPauseMs: 10_000, timers });
    gate.pause(3_000);
    gate.pause(1_000);
    expect(gate.figures().pausedForMs).toBe(3_000);
    gate.pause(3_600_000);
    expect(gate.figures().pausedForMs).toBe(10_000);
  });

  it('forgets a waiter whose caller gave up', async () => {
    const gate = new LlmGate({ maxInFlight: 1, timers: manualTimers() });
    const granted: string[] = [];
    const first = ask(gate, granted, 'first');
    const quitter = ask(gate, granted, 'quitter');
    ask(gate, granted, 'patient');
    await flush();
    quitter.abort();
    await expect(quitter.result).rejects.toThrow('gave up');
    (await first.result)();
    await flush();
    expect(granted).toEqual(['first', 'patient']);
  });
});
