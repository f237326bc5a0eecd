import { describe, expect, it } from 'vitest';
import type { CommandMetadata } from '../../schemas/commands.ts';
import type { TargetCommand } from '../../schemas/target-commands.ts';
import { stampEvents } from '../command-handler.ts';
import {
  decideDigestPreference,
  evolveDigestPreference,
  initialDigestPreference,
} from '../digest/preference.ts';
import { decideWeeklyDigestSent } from '../digest/sent.ts';
import { decideTargets } from './decide.ts';
import { maySetTargets, targetsDecider } from './handle.ts';
import type { TargetsState } from './state.ts';

const meta = (key: string, now = '2026-12-01T09:00:00.000Z'): CommandMetadata => ({
  idempotencyKey: key,
  correlationId: key,
  causationId: null,
  now,
  actor: { kind: 'user', id: 'UMGR' },
});
const core = { id: 'core', version: 1 };
const setHearing = (level = 3.5, dueDate = '2027-03-31'): TargetCommand => ({
  type: 'SetSkillTarget',
  userId: 'UREP',
  rubric: core,
  skill: 'hearing',
  level,
  dueDate,
  setBy: 'UMGR',
});
const clearHearing: TargetCommand = {
  type: 'ClearSkillTarget',
  userId: 'UREP',
  rubric: core,
  skill: 'hearing',
  clearedBy: 'UMGR',
};

const given = (commands: TargetCommand[]): TargetsState => {
  let state = targetsDecider.initialState();
  commands.forEach((command, i) => {
    const metadata = meta(`c${i}`);
    for (const event of stampEvents(decideTargets(command, state, { metadata }), metadata)) {
      state = targetsDecider.evolve(state, event);
    }
  });
  return state;
};

describe('targets decider', () => {
  it('sets a target with an id from the command and the clock from metadata', () => {
    const [draft] = decideTargets(setHearing(), given([]), { metadata: meta('k1') });
    expect(draft?.type).toBe('SkillTargetSet');
    expect(draft?.data).toMatchObject({
      userId: 'UREP',
      skill: 'hearing',
      level: 3.5,
      setAt: '2026-12-01T09:00:00.000Z',
    });
  });

  it('setting the active target again is a no-op; a new level or date replaces it', () => {
    const state = given([setHearing()]);
    expect(decideTargets(setHearing(), state, { metadata: meta('k2') })).toEqual([]);
    expect(decideTargets(setHearing(4), state, { metadata: meta('k3') })).toHaveLength(1);
    expect(decideTargets(setHearing(3.5, '2027-04-30'), state, { metadata: meta('k4') })).toHaveLength(1);
  });

  it('clears the active target by its id; clearing nothing is a no-op', () => {
    expect(decideTargets(clearHearing, given([]), { metadata: meta('k5') })).toEqual([]);
    const state = given([setHearing()]);
    const [cleared] = decideTargets(clearHearing, state, { metadata: meta('k6') });
    expect(cleared?.type).toBe('SkillTargetCleared');
    expect((cleared!.data as { targetId: string }).targetId).toBe(Object.values(state.active)[0]?.targetId);
    expect(given([setHearing(), clearHearing]).active).toEqual({});
  });

  it('refuses a past due date, an unknown skill of core/1, and a level with two decimals', () => {
    expect(() => decideTargets(setHearing(3, '2026-11-30'), given([]), { metadata: meta('k7') })).toThrow(
      /past/,
    );
    expect(() =>
      decideTargets({ ...setHearing(), skill: 'budget' } as TargetCommand, given([]), {
        metadata: meta('k8'),
      }),
    ).toThrow(/not a skill/);
    const metadata = meta('k9');
    expect(() => stampEvents(decideTargets(setHearing(3.25), given([]), { metadata }), metadata)).toThrow();
  });

  it('a manager may set targets for their team only; ops always; a rep never for themself', () => {
    const config = { managerUserIds: ['UMGR'], teams: { UMGR: ['UREP'] } };
    expect(maySetTargets({ kind: 'user', id: 'UMGR' }, 'UREP', config)).toBe(true);
    expect(maySetTargets({ kind: 'user', id: 'UMGR' }, 'UOTHER', config)).toBe(false);
    expect(maySetTargets({ kind: 'user', id: 'UREP' }, 'UREP', config)).toBe(false);
    expect(maySetTargets({ kind: 'ops', id: 'api:ci' }, 'UOTHER', config)).toBe(true);
  });
});

describe('digest deciders', () => {
  it('turning the digest off twice records one change', () => {
    const off = { type: 'SetDigestPreference', userId: 'UREP', enabled: false, via: 'home' } as const;
    const metadata = meta('p1');
    const [event] = stampEvents(decideDigestPreference(off, initialDigestPreference(), metadata), metadata);
    const state = evolveDigestPreference(initialDigestPreference(), event!);
    expect(state.enabled).toBe(false);
    expect(decideDigestPreference(off, state, meta('p2'))).toEqual([]);
  });

  it("a week's digest is recorded once", () => {
    const data = { userId: 'UREP', week: '2026-W49', channelId: 'D1', messageTs: '1.1', sessions: 2 };
    expect(decideWeeklyDigestSent(data, { sent: false }, meta('s1'))).toHaveLength(1);
    expect(decideWeeklyDigestSent(data, { sent: true }, meta('s2'))).toEqual([]);
  });
});
