import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/postgres.ts';
import { waitFor } from '../../../test/helpers/wait.ts';
import type { EventStore } from '../../../write/event-store/port.ts';
import { createPostgresEventStore } from '../../../write/event-store/postgres/store.ts';
import { readAgentBacklog } from './backlog.ts';
import { createPgCheckpointStore } from './checkpoints.ts';

const event = (type: string, n: number) => ({
  id: crypto.randomUUID(),
  type,
  version: 1,
  data: { n },
  metadata: {},
});

describe('the agent backlog, from its checkpoint and the event store', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ pool: db.pool, schema: db.schema, listenConfig: db.listenConfig });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('counts the events the agent acts on after its checkpoint, and the age of the oldest', async () => {
    expect(await readAgentBacklog(db.pool, store)).toEqual({ events: 0, lagSeconds: 0 });
    await store.append('dialogue-T1:D1:dm/a', [event('SessionStarted', 0), event('MessageReceived', 1)]);
    // Events the agent does not act on are no backlog.
    await store.append('knowledge-doc', [event('KnowledgeDocumentPublished', 2)]);
    const first = await store.append('dialogue-T1:D2:dm/b', [event('MessageReceived', 3)]);
    const inAMinute = () => Date.now() + 60_000;
    // The store shows a commit once no older transaction of the cluster is still open (gap-free
    // reading): other suites' transactions may hold it back for a moment.
    const behind = await waitFor(async () => {
      const backlog = await readAgentBacklog(db.pool, store, 'agent', inAMinute);
      return backlog.events === 3 ? backlog : null;
    });
    expect(behind?.events).toBe(3);
    expect(behind?.lagSeconds).toBeGreaterThanOrEqual(59);

    await createPgCheckpointStore(db.pool).save('agent', first.position);
    expect(await readAgentBacklog(db.pool, store, 'agent', inAMinute)).toEqual({ events: 0, lagSeconds: 0 });
    await store.append('dialogue-T1:D2:dm/b', [event('SessionEnded', 4)], 0n);
    expect(await waitFor(async () => (await readAgentBacklog(db.pool, store)).events === 1)).toBe(true);
  });
});
