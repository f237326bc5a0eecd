import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Projectors, startProjectors } from '../../ops/runtime/projectors.ts';
import { createMemoryCache } from '../../projections/cache/memory.ts';
import { safeCache } from '../../projections/cache/safe.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { meddiccRubric } from '../../schemas/rubrics.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../write/event-store/postgres/store.ts';
import { appendGenerated, generateDialogues } from '../helpers/dialogue-events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { childEnv, cliPath, runCli } from '../helpers/process.ts';
import { projectionsCaughtUp } from '../helpers/rebuild-check.ts';
import { waitFor } from '../helpers/wait.ts';
import { type LlmStub, sendJson, startLlmStub } from '../stubs/llm-stub-server.ts';

const sessionsTotal = 6;

/** An OpenAI chat completion whose content is a valid insight on MEDDICC. */
const completion = (model: string) => ({
  id: 'chatcmpl-rescore',
  object: 'chat.completion',
  created: 1_767_225_600,
  model,
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: JSON.stringify({
          scores: Object.fromEntries(meddiccRubric.skills.map((s, i) => [s.key, 1 + (i % 5)])),
          strengths: ['課題を数字で確かめた'],
          improvements: ['決裁者に会う'],
          nextActions: ['決裁の流れを確認する'],
          summary: '再採点',
        }),
        refusal: null,
      },
      finish_reason: 'stop',
      logprobs: null,
    },
  ],
  usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
});

/**
 * An OpenAI endpoint that answers, or holds requests: `hold(n)` keeps every request after the
 * first n open (a run can be killed while one is in flight); `barrier(k)` holds the first
 * requests until k have arrived (two runs are then at the same session at once).
 */
const startGatedStub = async () => {
  let answered = 0;
  let holdAfter = Number.POSITIVE_INFINITY;
  let barrier = 0;
  let waiting: (() => void)[] = [];
  const stub = await startLlmStub(
    '/v1/chat/completions',
    async (_behaviour, request, res: ServerResponse) => {
      if (answered >= holdAfter) return; // Hangs until the client is killed.
      if (barrier > 0) {
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length >= barrier) {
            barrier = 0;
            for (const release of waiting) release();
            waiting = [];
          }
        });
      }
      answered++;
      sendJson(res, 200, completion(String(request.body.model)));
    },
  );
  return {
    stub,
    hold: (n: number) => {
      holdAfter = n;
    },
    release: () => {
      holdAfter = Number.POSITIVE_INFINITY;
    },
    barrier: (k: number) => {
      barrier = k;
    },
    reset: () => {
      answered = 0;
      stub.reset();
    },
  };
};

/** Rescore insights per session on a rubric version, straight from the event table. */
const rescoreEvents = async (db: TestDatabase, version = 1) => {
  const bySession = new Map<string, number>();
  const { rows } = await db.pool.query<{
    data: { sessionId: string; origin: string; rubric: { id: string; version: number } };
  }>("SELECT data FROM es_events WHERE type = 'InsightDerived' ORDER BY global_position");
  for (const { data } of rows) {
    if (data.origin === 'rescore' && data.rubric.id === 'meddicc' && data.rubric.version === version)
      bySession.set(data.sessionId, (bySession.get(data.sessionId) ?? 0) + 1);
  }
  return bySession;
};

describe('salesai rescore (CLI)', () => {
  let db: TestDatabase;
  let store: EventStore;
  let projectors: Projectors;
  let gated: Awaited<ReturnType<typeof startGatedStub>>;
  let llm: LlmStub;
  let dataDir: string;
  const env = () => ({
    DATABASE_URL: db.url,
    DATABASE_SCHEMA: db.schema,
    DATA_DIR: dataDir,
    LLM_PROVIDER: 'openai',
    LLM_MODEL: 'gpt-4o-mini',
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: `${llm.url}/v1`,
  });

  beforeAll(async () => {
    db = await createTestDatabase({ max: 12 });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'salesai-rescore-'));
    store = createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });
    await appendGenerated(store, generateDialogues({ users: 2, sessionsPerUser: 3, exchangesPerSession: 2 }));
    projectors = startProjectors({
      pool: db.pool,
      lockConfig: db.listenConfig,
      store,
      codec: plainCodec,
      logger: silentLogger,
      cache: safeCache(createMemoryCache(), { logger: silentLogger }),
    });
    await projectionsCaughtUp(db.pool);
    gated = await startGatedStub();
    llm = gated.stub;
  });
  afterAll(async () => {
    await projectors?.stop();
    await store?.close();
    await llm?.close();
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('has --help on rescore and every rubric command', async () => {
    for (const args of [
      ['rescore'],
      ['rubric'],
      ['rubric', 'publish'],
      ['rubric', 'list'],
      ['rubric', 'choose'],
    ]) {
      const help = await runCli([...args, '--help'], {}, 30_000);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: salesai ${args.join(' ')}`);
    }
  });

  it('prints the sessions, a token estimate and a cost estimate first, and scores nothing on --dry-run or without confirmation', async () => {
    const dry = await runCli(['rescore', '--rubric', 'meddicc', '--dry-run'], env(), 60_000);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`sessions to score: ${sessionsTotal}`);
    expect(dry.stdout).toMatch(/estimated tokens: {2}\d+ in \+ 3600 out/);
    expect(dry.stdout).toMatch(
      /estimated cost: {4}\$\d+\.\d{4} \(openai gpt-4o-mini, list prices; an estimate\)/,
    );
    const unconfirmed = await runCli(['rescore', '--rubric', 'meddicc'], env(), 60_000);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain('Not confirmed');
    expect(llm.requests).toHaveLength(0);
    const unknown = await runCli(['rescore', '--rubric', 'nope', '--yes'], env(), 60_000);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('rescore: no rubric nope');
  });

  it('finishes the rest after a SIGKILL mid-run, scoring each session exactly once', async () => {
    gated.reset();
    gated.hold(2);
    const child = spawn(
      process.execPath,
      [cliPath, 'rescore', '--rubric', 'meddicc', '--yes', '--progress-every', '1'],
      {
        env: childEnv(env()),
      },
    );
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Two sessions answered and recorded; the third is in flight.
    await waitFor(
      () => llm.requests.length === 3 && output.includes('rescore: 2/6 sessions (recorded 2)'),
      60_000,
    );
    child.kill('SIGKILL');
    await exited;
    expect([...(await rescoreEvents(db)).values()]).toEqual([1, 1]);

    gated.release();
    gated.reset();
    const rest = await runCli(['rescore', '--rubric', 'meddicc', '--yes'], env(), 120_000);
    expect(rest.code).toBe(0);
    expect(rest.stdout).toMatch(/recorded 4, already scored \d+, failed 0/);
    // The recorded two were not asked for again.
    expect(llm.requests).toHaveLength(4);
    const counts = await rescoreEvents(db);
    expect(counts.size).toBe(sessionsTotal);
    for (const n of counts.values()) expect(n).toBe(1);
  });

  it('records once when two runs score the same sessions at the same time', async () => {
    // A new rubric version, so there is everything to score again.
    const file = path.join(dataDir, 'meddicc-v2.yaml');
    await writeFile(
      file,
      JSON.stringify({
        id: 'meddicc',
        name: { ja: 'MEDDICC 改', en: 'MEDDICC revised' },
        skills: meddiccRubric.skills,
      }),
    );
    const published = await runCli(['rubric', 'publish', file], env(), 60_000);
    expect(published.stdout.trim()).toBe('published meddicc version 2 (8 skills)');
    expect((await runCli(['rubric', 'publish', file], env(), 60_000)).stdout).toContain('unchanged');
    await projectionsCaughtUp(db.pool);

    gated.reset();
    gated.barrier(2);
    const [a, b] = await Promise.all([
      runCli(['rescore', '--rubric', 'meddicc', '--version', '2', '--yes'], env(), 120_000),
      runCli(['rescore', '--rubric', 'meddicc', '--yes'], env(), 120_000),
    ]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    // Both asked about the same first session at once.
    expect(llm.requests[0]!.body.messages).toEqual(llm.requests[1]!.body.messages);
    const recorded = (out: string) => Number(/recorded (\d+)/.exec(out)?.[1]);
    expect(recorded(a.stdout) + recorded(b.stdout)).toBe(sessionsTotal);

    const perSession = new Map<string, number>();
    const { rows } = await db.pool.query<{
      data: { sessionId: string; origin: string; rubric: { version: number } };
    }>("SELECT data FROM es_events WHERE type = 'InsightDerived'");
    for (const { data } of rows) {
      if (data.origin === 'rescore' && data.rubric.version === 2)
        perSession.set(data.sessionId, (perSession.get(data.sessionId) ?? 0) + 1);
    }
    expect(perSession.size).toBe(sessionsTotal);
    for (const n of perSession.values()) expect(n).toBe(1);
  });
});
