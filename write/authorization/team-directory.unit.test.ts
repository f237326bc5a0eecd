import { describe, expect, it } from 'vitest';
import { canReview, canView, managersOf } from './policy.ts';
import { createTeamDirectory } from './team-directory.ts';

const base = { managerUserIds: ['UMGR1', 'UMGR2'], teams: { UMGR1: ['UREP1'] } };

describe('team directory (TEAMS plus Slack user groups)', () => {
  it('adds a user group’s members to the manager’s team, cached for the TTL', async () => {
    let clock = 0;
    const reads: string[] = [];
    let members = ['UREP2', 'UREP3'];
    const directory = createTeamDirectory({
      base,
      userGroups: { UMGR1: ['SGROUP1'], UMGR2: ['SGROUP1'] },
      members: async (group) => {
        reads.push(group);
        return members;
      },
      ttlMs: 1000,
      now: () => clock,
    });
    const [a, b] = await Promise.all([directory.config(), directory.config()]);
    expect(a.teams.UMGR1).toEqual(['UREP1', 'UREP2', 'UREP3']);
    expect(b.teams.UMGR2).toEqual(['UREP2', 'UREP3']);
    expect(reads).toEqual(['SGROUP1']);
    expect(canView('UMGR2', 'UREP3', a)).toBe(true);
    expect(canReview('UMGR1', 'UREP2', a)).toBe(true);
    expect(managersOf('UREP2', a)).toEqual(['UMGR1', 'UMGR2']);

    members = ['UREP3'];
    clock = 999;
    expect((await directory.config()).teams.UMGR2).toEqual(['UREP2', 'UREP3']);
    clock = 1000;
    expect((await directory.config()).teams.UMGR2).toEqual(['UREP3']);
    expect(reads).toEqual(['SGROUP1', 'SGROUP1']);
  });

  it('keeps the last members read when Slack fails, and grants nothing for a group never read', async () => {
    let clock = 0;
    let fail = false;
    const directory = createTeamDirectory({
      base,
      userGroups: { UMGR2: ['SGROUP2'] },
      members: async () => {
        if (fail) throw new Error('slack down');
        return ['UREP9'];
      },
      ttlMs: 10,
      now: () => clock,
    });
    expect((await directory.config()).teams.UMGR2).toEqual(['UREP9']);
    fail = true;
    clock = 50;
    expect((await directory.config()).teams.UMGR2).toEqual(['UREP9']);
    const never = createTeamDirectory({
      base,
      userGroups: { UMGR2: ['SGROUP3'] },
      members: async () => {
        throw new Error('slack down');
      },
      ttlMs: 10,
    });
    const config = await never.config();
    expect(canView('UMGR2', 'UREP9', config)).toBe(false);
  });

  it('a user group gives nothing to someone not in MANAGER_USER_IDS', async () => {
    const directory = createTeamDirectory({
      base,
      userGroups: { UOTHER: ['SGROUP1'] },
      members: async () => ['UREP1'],
      ttlMs: 10,
    });
    const config = await directory.config();
    expect(canView('UOTHER', 'UREP1', config)).toBe(false);
    expect(canReview('UOTHER', 'UREP1', config)).toBe(false);
  });
});
