import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { growthProjection } from '../../projections/growth/projection.ts';
import { skillTargetsProjection } from '../../projections/targets/projection.ts';
import { scoredSession } from '../helpers/coaching-events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { runCli } from '../helpers/process.ts';
import { setupTestProjection } from '../helpers/projection.ts';
import { type SlackStub, startSlackStub } from '../stubs/slack-api.ts';

const reps = ['UCLIAKI', 'UCLIBEN', 'UCLICHO', 'UCLIDAN'];

describe('salesai digest send (whole processes racing, Slack stub)', () => {
  let db: TestDatabase;
  let slack: SlackStub;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    slack = await startSlackStub();
    const growth = await setupTestProjection(db, growthProjection);
    await setupTestProjection(db, skillTargetsProjection);
    const recent = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    for (const user of reps) {
      await growth.apply([scoredSession(user, 1, recent(3), 2), scoredSession(user, 2, recent(2), 3)]);
    }
    env = {
      DATABASE_URL: db.url,
      DATABASE_SCHEMA: db.schema,
      SLACK_BOT_TOKEN: 'xoxb-cli',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.apiUrl,
    };
  });
  afterAll(async () => {
    await slack.close();
    await db.drop();
  });

  it('--dry-run previews each digest and posts nothing', async () => {
    const result = await runCli(
      ['digest', 'send', '--week', '2026-W49', '--dry-run', '--json'],
      env,
      120_000,
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { digests: { userId: string; text: string }[] };
    expect(report.digests.map((d) => d.userId)).toEqual(reps);
    expect(report.digests[0]!.text).toContain('先週のセッション：*2 回*');
    expect(slack.calls('chat.postMessage')).toHaveLength(0);
  });

  it('two CLI processes sending the same week at once post one DM per rep; a third sends none', async () => {
    const args = ['digest', 'send', '--week', '2026-W49', '--json'];
    const [a, b] = await Promise.all([runCli(args, env, 120_000), runCli(args, env, 120_000)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const reports = [a, b].map((r) => JSON.parse(r.stdout) as Record<string, number>);
    expect(reports[0]!.sent! + reports[1]!.sent!).toBe(4);
    const posts = slack.calls('chat.postMessage');
    expect(posts).toHaveLength(4);
    expect(
      new Set(
        posts.map((p) => (p.body.metadata as { event_payload: { user_id: string } }).event_payload.user_id),
      ).size,
    ).toBe(4);
    const third = JSON.parse((await runCli(args, env, 120_000)).stdout) as Record<string, number>;
    expect(third).toMatchObject({ sent: 0, already: 4 });
    expect(slack.calls('chat.postMessage')).toHaveLength(4);
  });

  it('refuses a malformed week with one clear line', async () => {
    const result = await runCli(['digest', 'send', '--week', '49'], env);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('digest send: --week "49": expected an ISO week like 2026-W49');
  });
});
