import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../metrics/metrics.ts';
import { httpMetrics } from './index.ts';

describe('httpMetrics', () => {
  it('labels requests by route pattern, never by raw path, and unknown paths as unmatched', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const app = new Hono();
    app.use(httpMetrics({ histogram: metrics.httpRequestDuration }));
    const users = new Hono().get('/users/:userId/history', (c) => c.json({ user: c.req.param('userId') }));
    app.route('/api/v1', users);

    await app.request('/api/v1/users/U1/history');
    await app.request('/api/v1/users/U2/history');
    await app.request('/api/v1/nope');
    await app.request('/api/v1/users/U1/history', { method: 'BREW' });

    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/api/v1/users/:userId/history",status="200"} 2',
    );
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1',
    );
    expect(text).toContain('method="OTHER"');
    expect(text).not.toContain('U1');
  });
});
