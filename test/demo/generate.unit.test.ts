import { describe, expect, it } from 'vitest';
import {
  type DemoConversation,
  demoEndFromAnchor,
  demoModel,
  generateDemo,
} from '../../ops/demo/generate.ts';
import { demoReps } from '../../ops/demo/reps.ts';
import type { CommandMetadata } from '../../schemas/commands.ts';
import type { SalesEvent } from '../../schemas/events/index.ts';
import { skillKeys } from '../../schemas/skills.ts';
import { stampEvents } from '../../write/command-handler.ts';
import { decideDialogue } from '../../write/dialogue/decide.ts';
import { evolveDialogue, initialDialogueState } from '../../write/dialogue/state.ts';

/** What the command path would record for a conversation's commands, decided in memory. */
const decided = (conversation: DemoConversation): SalesEvent[] => {
  let state = initialDialogueState();
  let sessionId = '';
  const events: SalesEvent[] = [];
  for (const step of conversation.steps) {
    const metadata: CommandMetadata = {
      idempotencyKey: step.key,
      correlationId: step.key,
      causationId: null,
      now: step.at,
      actor: { kind: 'user', id: step.actorId },
    };
    const stamped = stampEvents(
      decideDialogue(step.command(sessionId), state, { metadata, inactivityMs: 30 * 60_000 }),
      metadata,
    );
    for (const event of stamped) {
      state = evolveDialogue(state, event);
      if (event.type === 'MessageReceived' && event.data.role === 'user') sessionId = event.data.sessionId;
    }
    events.push(...stamped);
  }
  return events;
};

const titles = new Map([
  ['objection-price', '価格反論'],
  ['roi-presentation', 'ROI'],
  ['spin-questions', 'SPIN'],
  ['closing-techniques', 'Closing'],
]);
const conversations = generateDemo({ end: '2026-03-02', titles });
const streams = conversations.map((c) => ({ conversationId: c.conversationId, events: decided(c) }));
const events = streams.flatMap((s) => s.events);
const ofType = <T extends SalesEvent['type']>(type: T) =>
  events.filter((e): e is Extract<SalesEvent, { type: T }> => e.type === type);

describe('demo data', () => {
  it('is the same every time for the same day (so a second run records nothing new)', () => {
    const again = generateDemo({ end: '2026-03-02', titles });
    expect(again.map((c) => c.steps.map((s) => [s.key, s.at, s.command('S')]))).toEqual(
      conversations.map((c) => c.steps.map((s) => [s.key, s.at, s.command('S')])),
    );
    const other = generateDemo({ end: '2026-03-03', titles });
    expect(other[0]!.steps[0]!.key).not.toBe(conversations[0]!.steps[0]!.key);
  });

  it('has distinct conversations and idempotency keys, whatever the day', () => {
    for (const end of ['2026-03-02', '2026-06-14', '2027-01-01']) {
      const demo = generateDemo({ end, titles });
      const ids = demo.map((c) => c.conversationId);
      expect(new Set(ids).size).toBe(ids.length);
      const keys = demo.flatMap((c) => c.steps.map((s) => s.key));
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('counts the sessions the command path opens', () => {
    expect(conversations.reduce((n, c) => n + c.sessions, 0)).toBe(
      events.filter((e) => e.type === 'SessionStarted').length,
    );
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
