import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlannedSession, plannedSessions, withTranscript } from '../../ops/rescore/sessions.ts';
import { sessionScoresOf } from '../../projections/growth/queries.ts';
import { currentRubricOf } from '../../projections/rubrics/queries.ts';
import type { CommandMetadata } from '../../schemas/commands.ts';
import { silentLogger } from '../../schemas/logger.ts';
import { meddiccRubric, type RubricDefinition } from '../../schemas/rubrics.ts';
import { createMockLlm } from '../../write/agent/llm/mock.ts';
import { noMetrics } from '../../write/agent/ports.ts';
import { type RescoreDeps, rescoreSession } from '../../write/agent/rescore.ts';
import type { PersonalText } from '../../write/crypto/personal-text.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import { createRubricCatalog } from '../../write/rubrics/current.ts';
import { handleRubricCommand } from '../../write/rubrics/handle.ts';
import { appendGenerated, generateDialogues } from '../helpers/dialogue-events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { tablesAndRebuild } from '../helpers/rebuild-check.ts';
import { type ReadApiHarness, startReadApi } from '../read-api/harness.ts';

const rep = 'U00001001';
const other = 'U00001000';
const manager = 'UMANAGER1';
const teams = { managerUserIds: [manager], teams: { [manager]: [rep] } };
const plainText: PersonalText = { open: async (v) => v, openDeep: async (v) => v };

const meta = (key: string): CommandMetadata => ({
  idempotencyKey: key,
  correlationId: key,
  causationId: null,
  now: '2026-02-01T00:00:00.000Z',
  actor: { kind: 'ops', id: 'test' },
});

const objectionRubric: RubricDefinition = {
  id: 'objections',
  name: { ja: '反論対応', en: 'Objections' },
  skills: [
    {
      key: 'acknowledge',
      label: { ja: '受け止め', en: 'Acknowledge' },
      description: { ja: '反論をまず受け止める', en: 'Acknowledge the concern first' },
    },
    {
      key: 'reframe',
      label: { ja: '価値への転換', en: 'Reframe' },
      description: { ja: '価格から価値に話を戻す', en: 'Bring the price back to value' },
    },
  ],
};

type History = {
  rubric: { id: string; version: number };
  profile: { insights: number; sessions: number; current: Record<string, number>; weakest: string[] };
  sessions: { scores: Record<string, number> }[];
};

describe('rubrics: scores per rubric version, rescoring, the read API', () => {
  let db: TestDatabase;
  let api: ReadApiHarness;
  let deps: RescoreDeps;
  let sessions: PlannedSession[];

  beforeAll(async () => {
    db = await createTestDatabase({ max: 20 });
    api = await startReadApi(db, { teams });
    await appendGenerated(
      api.store,
      generateDialogues({ users: 2, sessionsPerUser: 3, exchangesPerSession: 2 }),
    );
    deps = {
      store: api.store,
      codec: plainCodec,
      inactivityMs: 30 * 60_000,
      llm: createMockLlm(),
      logger: silentLogger,
      metrics: noMetrics,
      clock: () => new Date('2026-02-02T00:00:00.000Z'),
    };
    await handleRubricCommand(
      api.store,
      plainCodec,
      { type: 'ChooseTeamRubric', teamId: manager, rubric: { id: 'meddicc', version: 1 } },
      meta('choose-1'),
    );
    await api.caughtUp();
    sessions = await plannedSessions(db.pool, { rubric: meddiccRubric, userIds: [rep] });
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it("resolves a rep's current rubric from their team's choice, the default choice, or core v1", async () => {
    expect(await currentRubricOf(db.pool, rep, teams)).toEqual({ id: 'meddicc', version: 1 });
    expect(await currentRubricOf(db.pool, other, teams)).toEqual({ id: 'core', version: 1 });
    const catalog = createRubricCatalog({ store: api.store, codec: plainCodec, authorization: teams });
    expect((await catalog.currentFor(rep)).id).toBe('meddicc');
    expect((await catalog.currentFor(other)).id).toBe('core');
  });

  it('rescores each session once per rubric version, beside the old scores, even when two runs race', async () => {
    expect(sessions).toHaveLength(3);
    const first = await withTranscript(db.pool, plainText, sessions[0]!);
    // Two at once on the same session: one records, the other finds it recorded.
    const raced = await Promise.all([
      rescoreSession(deps, first, meddiccRubric),
      rescoreSession(deps, first, meddiccRubric),
    ]);
    expect([...raced].sort()).toEqual(['already', 'recorded']);
    for (const planned of sessions.slice(1)) {
      expect(
        await rescoreSession(deps, await withTranscript(db.pool, plainText, planned), meddiccRubric),
      ).toBe('recorded');
    }
    for (const planned of sessions) {
      expect(
        await rescoreSession(deps, await withTranscript(db.pool, plainText, planned), meddiccRubric),
      ).toBe('already');
    }
    await api.caughtUp();
    const { rows } = await db.pool.query<{ session_id: string; n: number }>(
      `SELECT session_id, count(*)::int AS n FROM conversation_insights
        WHERE origin = 'rescore' AND rubric_id = 'meddicc' AND rubric_version = 1 GROUP BY session_id`,
    );
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.n).toBe(1);
    // Old scores kept: the rep's core insights are all still there.
    const core = await db.pool.query(
      `SELECT 1 FROM conversation_insights WHERE user_id = $1 AND rubric_id = 'core'`,
      [rep],
    );
    expect(core.rowCount).toBe(6);
    // Nothing left to plan.
    expect(await plannedSessions(db.pool, { rubric: meddiccRubric, userIds: [rep] })).toEqual([]);
  });

  it('keeps growth per rubric version, keyed by skill, never mixing rubrics', async () => {
    const scores = await sessionScoresOf(db.pool, rep, { id: 'meddicc', version: 1 });
    expect(scores).toHaveLength(3);
    for (const s of scores) {
      expect(Object.keys(s.sums).sort()).toEqual(meddiccRubric.skills.map((k) => k.key).sort());
      expect(s.insights).toBe(1);
    }
    const core = await sessionScoresOf(db.pool, rep, { id: 'core', version: 1 });
    expect(core).toHaveLength(3);
    for (const s of core) expect(Object.keys(s.sums)).not.toContain('metrics');
  });

  it("shows the rep's team's rubric by default, another with ?rubric=, and 400 naming the bad parameter", async () => {
    const byDefault = (await (await api.get(`/api/v1/users/${rep}/history`)).json()) as History;
    expect(byDefault.rubric).toEqual({ id: 'meddicc', version: 1 });
    expect(byDefault.profile.insights).toBe(3);
    expect(Object.keys(byDefault.profile.current)).toEqual(meddiccRubric.skills.map((s) => s.key));

    const core = (await (await api.get(`/api/v1/users/${rep}/history?rubric=core`)).json()) as History;
    expect(core.rubric).toEqual({ id: 'core', version: 1 });
    expect(core.profile).toMatchObject({ insights: 6, sessions: 3 });
    expect(Object.keys(core.profile.current)).toEqual([
      'hearing',
      'proposal',
      'objection_handling',
      'closing',
      'relationship',
    ]);

    // A rep without a team choice sees core v1, as before rubrics existed.
    const plain = (await (await api.get(`/api/v1/users/${other}/history`)).json()) as History;
    expect(plain.rubric).toEqual({ id: 'core', version: 1 });

    const insights = (await (
      await api.get(`/api/v1/users/${rep}/insights?rubric=meddicc&rubricVersion=1`)
    ).json()) as {
      items: { rubric: unknown; provider: string; promptHash: string; origin: string }[];
    };
    expect(insights.items).toHaveLength(3);
    for (const item of insights.items) {
      expect(item).toMatchObject({
        rubric: { id: 'meddicc', version: 1 },
        provider: 'mock',
        origin: 'rescore',
      });
      expect(item.promptHash).toMatch(/^[a-f0-9]{64}$/);
    }

    const bad = async (query: string, param: string) => {
      for (const path of ['history', 'insights']) {
        const res = await api.get(`/api/v1/users/${rep}/${path}?${query}`);
        expect(res.status).toBe(400);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('VALIDATION');
        expect(body.error.message.startsWith(`${param}:`)).toBe(true);
      }
    };
    await bad('rubric=nope', 'rubric');
    await bad('rubric=NOT%20AN%20ID', 'rubric');
    await bad('rubric=core&rubricVersion=9', 'rubricVersion');
    await bad('rubric=core&rubricVersion=zero', 'rubricVersion');
    await bad('rubricVersion=1', 'rubricVersion');
  });

  it('publishes versions in order, lists them at GET /api/v1/rubrics, and reads an old InsightDerived v1 as core v1', async () => {
    const publish = (definition: RubricDefinition, key: string) =>
      handleRubricCommand(api.store, plainCodec, { type: 'PublishRubric', rubric: definition }, meta(key));
    expect((await publish(objectionRubric, 'p1')).events[0]).toMatchObject({ data: { version: 1 } });
    expect((await publish(objectionRubric, 'p2')).events).toEqual([]);
    const changed = { ...objectionRubric, name: { ja: '反論対応2', en: 'Objections 2' } };
    expect((await publish(changed, 'p3')).events[0]).toMatchObject({ data: { version: 2 } });
    // A built-in rubric published again continues after its built-in version 1.
    expect((await publish({ ...meddiccRubric, name: { ja: 'M', en: 'M' } }, 'p4')).events[0]).toMatchObject({
      data: { id: 'meddicc', version: 2 },
    });

    // An insight as the first release stored it.
    await api.store.append('dialogue-legacy', [
      {
        id: '0b3f2f7e-1d2c-5a4b-8c9d-0e1f2a3b4c5d',
        type: 'InsightDerived',
        version: 1,
        data: {
          insightId: '1b3f2f7e-1d2c-5a4b-8c9d-0e1f2a3b4c5d',
          sessionId: '2b3f2f7e-1d2c-5a4b-8c9d-0e1f2a3b4c5d',
          userId: 'U00009999',
          basedOnMessageId: null,
          scores: { hearing: 3, proposal: 4, objection_handling: 2, closing: 1, relationship: 5 },
          strengths: [],
          improvements: [],
          nextActions: [],
          summary: 'legacy',
          model: 'gpt-4o-2024-08-06',
          derivedAt: '2025-01-01T00:00:00.000Z',
        },
        metadata: {
          eventId: '0b3f2f7e-1d2c-5a4b-8c9d-0e1f2a3b4c5d',
          correlationId: 'c',
          causationId: null,
          occurredAt: '2025-01-01T00:00:00.000Z',
          actor: { kind: 'assistant', id: 'agent' },
        },
      },
    ]);
    await api.caughtUp();
    const legacy = await db.pool.query(
      "SELECT rubric_id, rubric_version, provider, prompt_hash, origin, scores FROM conversation_insights WHERE user_id = 'U00009999'",
    );
    expect(legacy.rows).toEqual([
      {
        rubric_id: 'core',
        rubric_version: 1,
        provider: 'openai',
        prompt_hash: null,
        origin: 'live',
        scores: { hearing: 3, proposal: 4, objection_handling: 2, closing: 1, relationship: 5 },
      },
    ]);

    const res = await api.get('/api/v1/rubrics');
    expect(res.status).toBe(200);
    const list = (await res.json()) as {
      items: { id: string; latestVersion: number; versions: { version: number; builtIn: boolean }[] }[];
    };
    expect(list.items.map((r) => r.id)).toEqual(['bant', 'core', 'meddicc', 'objections', 'spin']);
    expect(list.items.find((r) => r.id === 'objections')).toMatchObject({ latestVersion: 2 });
    expect(list.items.find((r) => r.id === 'meddicc')!.versions.map((v) => [v.version, v.builtIn])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect((await api.get('/api/v1/rubrics', null)).status).toBe(401);
  });

  it('rebuilds every read model from the events alone to the same rows', async () => {
    const { before, after } = await tablesAndRebuild(db.pool);
    expect(after).toEqual(before);
  });
});
