import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../schemas/config.ts';
import {
  type AuthorizationConfig,
  authorizationConfigFrom,
  canView,
  visibleSubjects,
} from '../../write/authorization/policy.ts';

const config: AuthorizationConfig = {
  managerUserIds: ['UMGR1', 'UMGR2'],
  teams: { UMGR1: ['UREP1', 'UREP2'], UMGR2: ['UREP3'], UNOTMGR: ['UREP1'] },
};

describe('Slack authorization policy', () => {
  it('a rep sees only their own history', () => {
    expect(canView('UREP1', 'UREP1', config)).toBe(true);
    expect(canView('UREP1', 'UREP2', config)).toBe(false);
    expect(canView({ userId: 'UREP1' }, 'UMGR1', config)).toBe(false);
  });

  it('a manager sees their team and themself, not other teams', () => {
    expect(canView('UMGR1', 'UREP1', config)).toBe(true);
    expect(canView('UMGR1', 'UREP2', config)).toBe(true);
    expect(canView('UMGR1', 'UMGR1', config)).toBe(true);
    expect(canView('UMGR1', 'UREP3', config)).toBe(false);
    expect(canView('UMGR2', 'UREP1', config)).toBe(false);
  });

  it('a team entry grants nothing unless its manager is listed in MANAGER_USER_IDS', () => {
    expect(canView('UNOTMGR', 'UREP1', config)).toBe(false);
  });

  it('empty ids see nothing', () => {
    expect(canView('', '', config)).toBe(false);
  });

  it('lists what a viewer may see, themself first', () => {
    expect(visibleSubjects('UMGR1', config)).toEqual(['UMGR1', 'UREP1', 'UREP2']);
    expect(visibleSubjects('UREP1', config)).toEqual(['UREP1']);
  });

  it('is configured by MANAGER_USER_IDS and TEAMS', () => {
    const env = parseEnv({ MANAGER_USER_IDS: 'UMGR1', TEAMS: 'UMGR1:UREP1|UREP2; UMGR2:UREP3' });
    const fromEnv = authorizationConfigFrom(env);
    expect(fromEnv.teams).toEqual({ UMGR1: ['UREP1', 'UREP2'], UMGR2: ['UREP3'] });
    expect(canView('UMGR1', 'UREP2', fromEnv)).toBe(true);
    expect(canView('UMGR2', 'UREP3', fromEnv)).toBe(false);
    expect(authorizationConfigFrom(parseEnv({}))).toEqual({ managerUserIds: [], teams: {} });
    expect(() => parseEnv({ TEAMS: 'UMGR1=UREP1' })).toThrow(/TEAMS/);
  });
});
