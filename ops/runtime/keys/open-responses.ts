import { Hono, type MiddlewareHandler } from 'hono';
import type { RouteGroup } from '../../../read-api/app.ts';
import type { PersonalText } from '../../../write/crypto/personal-text.ts';
import { SEALED_PREFIX } from '../../../write/crypto/sealed-text.ts';

/**
 * Read tables and caches hold personal text sealed; this opens it on the way out of the read
 * API, after the cache, so a cached page never holds plaintext and a forgotten person's text
 * reads `[forgotten]` even from a page cached before forget-user ran.
 */
export const openSealedJson = (personal: PersonalText): MiddlewareHandler =>
  async function openSealedJson(c, next) {
    await next();
    const type = c.res.headers.get('Content-Type') ?? '';
    if (!type.startsWith('application/json')) return;
    const text = await c.res.clone().text();
    if (!text.includes(SEALED_PREFIX)) return;
    const opened = JSON.stringify(await personal.openDeep(JSON.parse(text) as unknown));
    const headers = new Headers(c.res.headers);
    headers.delete('Content-Length');
    c.res = new Response(opened, { status: c.res.status, headers });
  };

/** The route groups with their JSON answers opened (see `openSealedJson`). */
export const withOpenedPersonalText = (groups: readonly RouteGroup[], personal: PersonalText): RouteGroup[] =>
  groups.map((group) => {
    const app = new Hono();
    // Only on the group's own paths: a `*` here would run for every route of the whole app.
    const opener = openSealedJson(personal);
    for (const path of new Set(group.specs.map((spec) => spec.path))) app.use(path, opener);
    app.route('/', group.app);
    return { ...group, app };
  });
