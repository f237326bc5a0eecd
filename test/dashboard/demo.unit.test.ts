import { describe, expect, it } from 'vitest';
import { demoEndFromAnchor, demoModel, generateDemo } from '../../dashboard/demo/generate.ts';
import { demoReps } from '../../dashboard/demo/reps.ts';
import type { SalesEvent } from '../../schemas/events/index.ts';
import { skillKeys } from '../../schemas/skills.ts';
import { evolveDialogue, initialDialogueState } from '../../write/dialogue/state.ts';

const titles = new Map([
  ['objection-price', '価格反論'],
  ['roi-presentation', 'ROI'],
  ['spin-questions', 'SPIN'],
  ['closing-techniques', 'Closing'],
]);
const streams = generateDemo({ end: '2026-03-02', titles });
const events = streams.flatMap((s) => s.events);
const ofType = <T extends SalesEvent['type']>(type: T) =>
  events.filter((e): e is Extract<SalesEvent, { type: T }> => e.type === type);

describe('demo data', () => {
  it('is the same every time for the same day (so a second run appends nothing new)', () => {
    const again = generateDemo({ end: '2026-03-02', titles });
    expect(again.map((s) => s.events.map((e) => e.metadata.eventId))).toEqual(
      streams.map((s) => s.events.map((e) => e.metadata.eventId)),
    );
    const other = generateDemo({ end: '2026-03-03', titles });
    expect(other[0]!.events[0]!.metadata.eventId).not.toBe(streams[0]!.events[0]!.metadata.eventId);
  });

  it('has one stream per conversation, whatever the day', () => {
    for (const end of ['2026-03-02', '2026-06-14', '2027-01-01']) {
      const ids = generateDemo({ end, titles }).map((s) => s.streamId);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('has six reps over eight weeks before the day, with sessions, cited replies, insights and feedback', () => {
    const started = ofType('SessionStarted');
    expect(new Set(started.map((e) => e.data.userId))).toEqual(new Set(demoReps.map((r) => r.userId)));
    expect(started.length).toBeGreaterThan(100);
    const times = started.map((e) => Date.parse(e.data.startedAt));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse('2026-01-05T00:00:00+09:00'));
    expect(Math.max(...times)).toBeLessThan(Date.parse('2026-03-02T00:00:00+09:00'));
    expect(started.some((e) => e.data.mode === 'roleplay')).toBe(true);

    const replies = ofType('MessageReceived').filter((e) => e.data.role === 'assistant');
    expect(replies.some((e) => e.data.citations.length > 0)).toBe(true);
    // Only documents that exist are cited, and the markers match the citations.
    for (const reply of replies) {
      for (const citation of reply.data.citations) expect(titles.has(citation.documentId)).toBe(true);
      const markers = [...reply.data.text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
      for (const n of markers) expect(n).toBeLessThanOrEqual(reply.data.citations.length);
    }
    expect(ofType('InsightDerived').every((e) => e.data.model === demoModel)).toBe(true);
    expect(ofType('FeedbackGiven').some((e) => e.data.rating === 'down')).toBe(true);
  });

  it('tells the reps’ stories: U0DEMO001 improves, U0DEMO003 slips on objection handling', () => {
    const mean = (userId: string, skill: (typeof skillKeys)[number], half: 'first' | 'last') => {
      const list = ofType('InsightDerived').filter((e) => e.data.userId === userId);
      const part = half === 'first' ? list.slice(0, list.length / 3) : list.slice((2 * list.length) / 3);
      return part.reduce((a, e) => a + (e.data.scores[skill] ?? 0), 0) / part.length;
    };
    for (const skill of skillKeys)
      expect(mean('U0DEMO001', skill, 'last')).toBeGreaterThan(mean('U0DEMO001', skill, 'first'));
    expect(mean('U0DEMO003', 'objection_handling', 'last')).toBeLessThan(
      mean('U0DEMO003', 'objection_handling', 'first'),
    );
  });

  it('is a valid history for the dialogue decider: every stream folds, gap-free seq per session', () => {
    for (const stream of streams) {
      let state = initialDialogueState();
      const seqs = new Map<string, number[]>();
      for (const event of stream.events) {
        state = evolveDialogue(state, event);
        if (event.type === 'MessageReceived') {
          seqs.set(event.data.sessionId, [...(seqs.get(event.data.sessionId) ?? []), event.data.seq]);
        }
      }
      for (const list of seqs.values()) expect(list).toEqual(list.map((_, i) => i));
    }
  });

  it('can tell the day it was made for from its first session', () => {
    const first = streams[0]!.events.find((e) => e.type === 'SessionStarted');
    expect(first?.type).toBe('SessionStarted');
    expect(demoEndFromAnchor((first as Extract<SalesEvent, { type: 'SessionStarted' }>).data.startedAt)).toBe(
      '2026-03-02',
    );
  });
});
