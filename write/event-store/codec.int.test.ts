import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { plainCodec } from './codec.ts';
import { createPostgresEventStore } from './postgres/store.ts';

describe('a v1 event stored long ago, read today', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('comes out of the store as the current version', async () => {
    const store = createPostgresEventStore({
      pool: db.pool,
      schema: db.schema,
      listenConfig: db.listenConfig,
    });
    await store.append('dialogue-T1:D1:dm', [
      {
        id: 'a3bb189e-8bf9-5888-9912-ace4e6543002',
        type: 'MessageReceived',
        version: 1,
        data: {
          sessionId: '6f1c1d1e-2a3b-5c4d-8e5f-6a7b8c9d0e1f',
          messageId: '1712000000.000100',
          seq: 0,
          userId: 'U2CERLKJA',
          role: 'user',
          content: '競合の方が安いと言われた',
          sentAt: '2025-04-01T09:00:00.000Z',
        },
        metadata: {
          eventId: 'a3bb189e-8bf9-5888-9912-ace4e6543002',
          correlationId: 'c',
          causationId: null,
          occurredAt: '2025-04-01T09:00:00.000Z',
          actor: { kind: 'user', id: 'U2CERLKJA' },
        },
      },
    ]);
    const [record] = await store.readStream('dialogue-T1:D1:dm');
    expect(record?.version).toBe(1);
    const event = await plainCodec.decode(record!);
    expect(event).toMatchObject({
      type: 'MessageReceived',
      version: 2,
      data: { text: '競合の方が安いと言われた', citations: [] },
    });
    await store.close();
  });
});
