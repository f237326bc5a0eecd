import { describe, expect, it } from 'vitest';
import { SessionCache } from './session-cache.ts';

const meta = (sessionId: string, userId: string) => ({
  sessionId,
  streamId: `dialogue-T1:D1:${sessionId}`,
  conversation: { id: 'T1:D1:dm', teamId: 'T1', channelId: 'D1', channelKind: 'im' as const, threadTs: null },
  userId,
  mode: 'roleplay' as const,
  persona: `persona of ${userId}`,
  startRevision: 0n,
});

describe('the session cache', () => {
  it('forgets every session of one person (forget-user), and only theirs', () => {
    const cache = new SessionCache();
    cache.set(meta('s1', 'UA'));
    cache.set(meta('s2', 'UB'));
    cache.set(meta('s3', 'UA'));
    expect(cache.forgetUser('UA')).toBe(2);
    expect(cache.get('s1')).toBeUndefined();
    expect(cache.get('s3')).toBeUndefined();
    expect(cache.get('s2')?.persona).toBe('persona of UB');
  });
});
