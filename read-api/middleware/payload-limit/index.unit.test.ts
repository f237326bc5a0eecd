import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../schemas/logger.ts';
import { errorHandler } from '../error-handler/index.ts';
import { payloadLimit } from './index.ts';

const app = () => {
  const a = new Hono();
  a.onError(errorHandler({ logger: silentLogger }));
  a.use(payloadLimit({ maxBytes: 16 }));
  a.post('/', async (c) => c.text(`got ${(await c.req.text()).length}`));
  return a;
};

describe('payloadLimit', () => {
  it('passes a body within the limit', async () => {
    const res = await app().request('/', { method: 'POST', body: 'x'.repeat(16) });
    expect(await res.text()).toBe('got 16');
  });

  it('answers 413 PAYLOAD_TOO_LARGE for a larger declared body', async () => {
    const res = await app().request('/', { method: 'POST', body: 'x'.repeat(17) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('counts a streamed body without Content-Length', async () => {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('x'.repeat(10)));
        controller.enqueue(new TextEncoder().encode('x'.repeat(10)));
        controller.close();
      },
    });
    const res = await app().request('/', { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('is the 1 MB default', async () => {
    const a = new Hono();
    a.onError(errorHandler({ logger: silentLogger }));
    a.use(payloadLimit());
    a.post('/', (c) => c.text('ok'));
    expect((await a.request('/', { method: 'POST', body: 'x'.repeat(1024 * 1024) })).status).toBe(200);
    expect((await a.request('/', { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) })).status).toBe(413);
  });
});
