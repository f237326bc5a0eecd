import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetUser } from '../../ops/runtime/keys/forget.ts';
import { encryptionKeysHealthCheck } from '../../ops/runtime/keys/key-health.ts';
import { rotateDataKeys } from '../../ops/runtime/keys/rotate.ts';
import { readLedger } from '../../ops/runtime/keys/shredding-ledger.ts';
import { keyStatus } from '../../ops/runtime/keys/status.ts';
import { findGeneration } from '../../projections/runner/generations.ts';
import { requestRebuild } from '../../projections/runner/rebuild-requests.ts';
import type { SalesEvent } from '../../schemas/events/index.ts';
import { keyRing } from '../../write/crypto/key-ring.ts';
import { postgresDataKeys } from '../../write/crypto/postgres-data-keys.ts';
import { FORGOTTEN, openText, parseSealed, UNREADABLE } from '../../write/crypto/sealed-text.ts';
import { type GeneratedStream, generateDialogues } from '../helpers/dialogue-events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait.ts';
import { keyed, type SecurityHarness, startSecured } from './harness.ts';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const k3 = { id: 'k3', key: randomBytes(32) };

/** Texts unique per user, so a raw row can be searched for them. */
const personalise = (streams: GeneratedStream[]) => {
  for (const { events } of streams) {
    for (const e of events as SalesEvent[]) {
      const d = e.data as Record<string, unknown>;
      if (e.type === 'MessageReceived') d.text = `secret-${e.data.userId}-${e.data.role}-${e.data.seq}`;
      if (e.type === 'InsightDerived') d.summary = `summary-of-${e.data.userId}`;
      if (e.type === 'FeedbackGiven') d.comment = `comment-of-${e.data.userId}`;
    }
  }
  return streams;
};

const sessionOf = (stream: GeneratedStream) =>
  (stream.events.find((e) => e.type === 'SessionStarted')!.data as { sessionId: string }).sessionId;

describe('encryption at rest and crypto-shredding', () => {
  let db: TestDatabase;
  let h: SecurityHarness;
  let dataDir: string;
  const streams = personalise(generateDialogues({ users: 3, sessionsPerUser: 2, exchangesPerSession: 2 }));
  const [first, second] = streams as [GeneratedStream, GeneratedStream, GeneratedStream];
  const forgotten = 'U00001000';
  const kept = 'U00001001';

  const session = async (id: string) => {
    const response = await h.get(`/api/v1/sessions/${id}`);
    expect(response.status).toBe(200);
    return (await response.json()) as {
      messages: { text: string; userId: string }[];
      insights: { summary: string; strengths: string[]; scores: Record<string, number> }[];
    };
  };

  beforeAll(async () => {
    db = await createTestDatabase({ max: 20 });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'salesai-ledger-'));
    h = await startSecured(db, keyRing([k1]));
    await h.append(streams);
    await h.caughtUp();
  });
  afterAll(async () => {
    await h?.close();
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('decodes what it encoded (round trip)', async () => {
    for (const stream of streams) {
      const records = await h.store.readStream(stream.streamId);
      expect(await Promise.all(records.map((r) => h.codec.decode(r)))).toEqual(stream.events);
    }
  });

  it('stores ciphertext in es_events.data: no plaintext in the raw rows', async () => {
    const { rows } = await db.pool.query<{ type: string; data: Record<string, unknown>; raw: string }>(
      'SELECT type, data, data::text AS raw FROM es_events',
    );
    const raw = rows.map((r) => r.raw).join('\n');
    for (const plain of ['secret-U', 'summary-of-', 'comment-of-', '顧客の懸念', 'ROI試算', '効果を数字で'])
      expect(raw).not.toContain(plain);
    for (const r of rows.filter((r) => r.type === 'MessageReceived'))
      expect(String(r.data.text)).toMatch(/^enc:v1:/);
    // Ids and scores stay readable: they are what the projections and aggregates need.
    expect(raw).toContain(forgotten);
  });

  it('stores ciphertext in the read tables and opens it in the read API', async () => {
    const messages = await db.pool.query<{ text: string }>('SELECT text FROM dialogue_messages');
    expect(messages.rowCount).toBeGreaterThan(0);
    for (const m of messages.rows) expect(m.text).toMatch(/^enc:v1:/);
    const insights = await db.pool.query<{ summary: string; strengths: string[] }>(
      'SELECT summary, strengths FROM conversation_insights',
    );
    for (const i of insights.rows) {
      expect(i.summary).toMatch(/^enc:v1:/);
      for (const s of i.strengths) expect(s).toMatch(/^enc:v1:/);
    }
    const feedback = await db.pool.query<{ comment: string }>('SELECT comment FROM dialogue_feedback');
    for (const f of feedback.rows) expect(f.comment).toMatch(/^enc:v1:/);

    const body = await session(sessionOf(first));
    expect(body.messages[0]!.text).toBe(`secret-${forgotten}-user-0`);
    expect(body.insights[0]!.summary).toBe(`summary-of-${forgotten}`);
    expect(body.insights[0]!.strengths).toEqual(['顧客の懸念を確認した']);
  });

  it('gives each subject their own key', async () => {
    const { rows } = await db.pool.query<{ subject_id: string; wrapped_key: Buffer }>(
      'SELECT subject_id, wrapped_key FROM data_keys ORDER BY subject_id',
    );
    expect(rows.map((r) => r.subject_id)).toEqual(['U00001000', 'U00001001', 'U00001002']);
    expect(new Set(rows.map((r) => r.wrapped_key.toString('hex'))).size).toBe(3);
    // Projections decode with decodeTrusted, which leaves the text sealed (as the read tables hold it).
    const [, message] = await h.store.readStream(first.streamId);
    const parts = parseSealed(((await h.codec.decodeTrusted(message!)).data as { text: string }).text)!;
    expect(parts.keyRef).not.toBe((await h.dataKeys.forWriting(kept)).keyRef);
    const otherKey = (await h.dataKeys.forWriting(kept)).key;
    expect(() => openText(otherKey, parts)).toThrow();
  });

  it('binds a ciphertext to its event and field (AAD): a swapped value does not open', async () => {
    const messages = (await h.store.readStream(first.streamId)).filter((r) => r.type === 'MessageReceived');
    const [a, b] = messages as [(typeof messages)[0], (typeof messages)[0]];
    const original = (b.data as { text: string }).text;
    const moved = (a.data as { text: string }).text;
    await db.pool.query(
      `UPDATE es_events SET data = jsonb_set(data, '{text}', to_jsonb($1::text)) WHERE event_id = $2`,
      [moved, b.id],
    );
    try {
      const [tampered] = await h.store.readStream(first.streamId, { fromRevision: b.revision, maxCount: 1 });
      expect(((await h.codec.decode(tampered!)).data as { text: string }).text).toBe(UNREADABLE);
      expect(((await h.codec.decodeTrusted(tampered!)).data as { text: string }).text).toBe(UNREADABLE);
    } finally {
      await db.pool.query(
        `UPDATE es_events SET data = jsonb_set(data, '{text}', to_jsonb($1::text)) WHERE event_id = $2`,
        [original, b.id],
      );
    }
  });

  it("forget-user makes the user's texts read [forgotten] everywhere; others and scores stay", async () => {
    const report = await forgetUser(
      {
        pool: db.pool,
        store: h.store,
        repository: postgresDataKeys(db.pool),
        dataKeys: h.dataKeys,
        cache: h.cache,
        ledgerFile: path.join(dataDir, 'ledger', 'shredding-ledger.ndjson'),
        now: () => new Date('2026-01-05T02:00:00Z'),
      },
      forgotten,
    );
    // The shredding ledger records it (owner-only file), for restores of older backups.
    const ledger = path.join(dataDir, 'ledger', 'shredding-ledger.ndjson');
    expect(await readLedger(ledger)).toEqual([
      { subjectId: forgotten, generation: 1, at: '2026-01-05T02:00:00.000Z' },
    ]);
    expect((await stat(ledger)).mode & 0o777).toBe(0o600);
    expect(report).toEqual({
      userId: forgotten,
      hadKey: true,
      generation: 1,
      events: { MessageReceived: 8, InsightDerived: 4, FeedbackGiven: 2 },
      readRows: {
        dialogue_messages: 8,
        dialogue_sessions: 0,
        dialogue_feedback: 2,
        conversation_insights: 4,
        manager_reviews: 0,
      },
    });

    for (const record of await h.store.readStream(first.streamId)) {
      const event = await h.codec.decode(record);
      if (event.type === 'MessageReceived') expect(event.data.text).toBe(FORGOTTEN);
      if (event.type === 'InsightDerived') {
        expect(event.data.summary).toBe(FORGOTTEN);
        expect(event.data.scores.hearing).toBeGreaterThan(0);
      }
    }
    // A fresh process (no cached keys) sees the same.
    const fresh = keyed(db, keyRing([k1]));
    const [, message] = await h.store.readStream(first.streamId);
    expect(((await fresh.codec.decode(message!)).data as { text: string }).text).toBe(FORGOTTEN);

    const gone = await session(sessionOf(first));
    expect(gone.messages.every((m) => m.text === FORGOTTEN)).toBe(true);
    expect(gone.insights[0]!.summary).toBe(FORGOTTEN);
    expect(gone.insights[0]!.strengths).toEqual([FORGOTTEN]);
    expect(gone.insights[0]!.scores.hearing).toBeGreaterThan(0);
    const history = await h.get(`/api/v1/users/${forgotten}/history`);
    expect(history.status).toBe(200);

    const other = await session(sessionOf(second));
    expect(other.messages[0]!.text).toBe(`secret-${kept}-user-0`);
    expect(other.insights[0]!.summary).toBe(`summary-of-${kept}`);
  });

  it('a forgotten user who writes again gets a new key; the old texts stay forgotten', async () => {
    const { keyRef } = await keyed(db, keyRing([k1])).dataKeys.forWriting(forgotten);
    expect(keyRef.endsWith('.2')).toBe(true);
    const [, message] = await h.store.readStream(first.streamId);
    expect(((await h.codec.decode(message!)).data as { text: string }).text).toBe(FORGOTTEN);
  });

  it('rebuilds projections after forget-user', async () => {
    for (const name of ['dialogue', 'insights']) {
      const live = await findGeneration(db.pool, name, 'live');
      await requestRebuild(db.pool, name, 'test');
      await waitFor(
        async () => (await findGeneration(db.pool, name, 'live'))?.generation === live!.generation + 1,
      );
    }
    const dead = await db.pool.query('SELECT 1 FROM projection_dead_letters');
    expect(dead.rowCount).toBe(0);
    await h.cache.bump(`user:${forgotten}`);
    expect((await session(sessionOf(first))).messages[0]!.text).toBe(FORGOTTEN);
    expect((await session(sessionOf(second))).messages[0]!.text).toBe(`secret-${kept}-user-0`);
  });

  it('rotates the ring without downtime: everything re-wrapped and readable with the new key alone', async () => {
    const repository = postgresDataKeys(db.pool);
    const ring = keyRing([k2, k1]);
    const report = await rotateDataKeys(repository, ring);
    expect(report).toMatchObject({ currentKeyId: 'k2', rewrapped: 3, missingRingKeys: {} });
    expect(await keyStatus(repository, ring)).toEqual({
      ringKeys: [
        { keyId: 'k2', state: 'current', dataKeys: 3 },
        { keyId: 'k1', state: 'readable', dataKeys: 0 },
      ],
      destroyed: 0,
    });
    // The running process still serves (it holds unwrapped data keys); a new one needs k2 only.
    expect((await session(sessionOf(second))).messages[0]!.text).toBe(`secret-${kept}-user-0`);
    const onlyNew = keyed(db, keyRing([k2]));
    const records = await onlyNew.codec.decode((await h.store.readStream(second.streamId))[1]!);
    expect((records.data as { text: string }).text).toBe(`secret-${kept}-user-0`);
    expect(await rotateDataKeys(repository, ring)).toMatchObject({ rewrapped: 0 });
  });

  it('a ring without the wrapping key: 503 KEY_UNAVAILABLE (not 500), health down; forgotten texts still read [forgotten]', async () => {
    // Every live data key is wrapped by k2 now; this process holds k3 only (a restore on a new machine).
    const stranger = await startSecured(db, keyRing([k3]));
    try {
      const response = await stranger.get(`/api/v1/sessions/${sessionOf(second)}`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('KEY_UNAVAILABLE');
      expect(body.error.message).toContain('ring key k2');
      // The forgotten person's first-generation texts need no key: they read as forgotten.
      const gone = await stranger.get(`/api/v1/sessions/${sessionOf(first)}`);
      expect(gone.status).toBe(200);
      const goneBody = (await gone.json()) as { messages: { text: string }[] };
      expect(goneBody.messages.every((m) => m.text === FORGOTTEN)).toBe(true);
    } finally {
      await stranger.close();
    }
    const repository = postgresDataKeys(db.pool);
    const down = await encryptionKeysHealthCheck(repository, keyRing([k3])).check();
    expect(down).toMatchObject({ status: 'down', info: { unopenableRingKeys: ['k2'] } });
    expect(down.detail).toMatch(/^KEY_UNAVAILABLE: data keys wrapped by ring key k2 cannot be opened/);
    // Same id, other key material: found by unwrapping, not by comparing ids.
    const impostor = await encryptionKeysHealthCheck(
      repository,
      keyRing([{ id: 'k2', key: k3.key }]),
    ).check();
    expect(impostor.status).toBe('down');
    const ok = await encryptionKeysHealthCheck(repository, keyRing([k2])).check();
    expect(ok).toMatchObject({ status: 'ok', info: { currentRingKey: 'k2', opened: 3 } });
  });
});
