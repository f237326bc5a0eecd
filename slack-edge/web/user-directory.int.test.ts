import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../schemas/logger.ts';
import { type SlackStub, startSlackStub } from '../../test/stubs/slack-api.ts';
import { createUserDirectory, displayNamesFrom } from './user-directory.ts';

describe('display names from users.info (Web API stub)', () => {
  let stub: SlackStub;
  beforeAll(async () => {
    stub = await startSlackStub();
  });
  afterAll(async () => {
    await stub.close();
  });

  it('names each person with one call however many ask at once, then from the cache; a failure falls back to the id', async () => {
    stub.setUser('UNAMED1', { profile: { display_name: 'Mio' } });
    stub.setUser('UNAMED2', { profile: { display_name: '' }, real_name: 'Ren Sato' });
    const client = new WebClient('xoxb-test', { slackApiUrl: stub.apiUrl, retryConfig: { retries: 0 } });
    const names = displayNamesFrom(createUserDirectory(client, silentLogger, async () => undefined));
    stub.always('users.info', { body: { ok: false, error: 'user_not_found' } });
    const failed = await names(['UNAMED1']);
    expect(failed.size).toBe(0);
    stub.reset();
    stub.setUser('UNAMED1', { profile: { display_name: 'Mio' } });
    stub.setUser('UNAMED2', { profile: { display_name: '' }, real_name: 'Ren Sato' });
    const [first, second] = await Promise.all([names(['UNAMED1', 'UNAMED2']), names(['UNAMED2', 'UNAMED1'])]);
    expect(Object.fromEntries(first)).toEqual({ UNAMED1: 'Mio', UNAMED2: 'Ren Sato' });
    expect(Object.fromEntries(second)).toEqual(Object.fromEntries(first));
    await names(['UNAMED1', 'UNAMED2']);
    expect(
      stub
        .calls('users.info')
        .map((c) => c.body.user)
        .sort(),
    ).toEqual(['UNAMED1', 'UNAMED2']);
  });
});
