import { describe, expect, it } from 'vitest';
import { knowledgeAccess } from './knowledge-access.ts';
import type { Membership, UserDirectory } from './web/user-directory.ts';

const directory = (users: Record<string, Membership | null>): UserDirectory => ({
  lookUp: async (userId) => {
    const membership = users[userId];
    return membership ? { language: 'ja', membership } : null;
  },
  forget: () => {},
});

describe('who may reach the knowledge base', () => {
  const users = directory({ UMEMBER: 'member', UGUEST: 'guest', UOUT: 'external', UNKNOWN: null });

  it('by default: members only (guests, external users and people Slack could not tell about are refused)', async () => {
    const access = knowledgeAccess(users, false);
    expect(await access('UMEMBER')).toBe(true);
    for (const user of ['UGUEST', 'UOUT', 'UNKNOWN']) expect(await access(user)).toBe(false);
  });

  it('with ALLOW_GUEST_KNOWLEDGE=true: everyone', async () => {
    const access = knowledgeAccess(users, true);
    for (const user of ['UMEMBER', 'UGUEST', 'UOUT', 'UNKNOWN']) expect(await access(user)).toBe(true);
  });
});
