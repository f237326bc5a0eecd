import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AssetUrls } from './views/page-context.ts';

type Asset = { body: Uint8Array; type: string; hash: string };

const own = (name: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets', name);

/** chart.js's self-contained UMD build, found beside the module Node resolves (no CDN). */
const chartJsFile = () =>
  path.join(path.dirname(fileURLToPath(import.meta.resolve('chart.js'))), 'chart.umd.min.js');

const load = (file: string, type: string): Asset => {
  const body = readFileSync(file);
  return { body, type, hash: createHash('sha256').update(body).digest('hex').slice(0, 12) };
};

const year = 365 * 24 * 3600;

/**
 * The dashboard's static files, read once at start. URLs carry the content hash (`?v=`), so a
 * matching request is cached for a year (`immutable`) and a new release changes the URL; a
 * request without the current hash is cached briefly. Public: they hold no data.
 */
export const dashboardAssets = (): { urls: AssetUrls; app: Hono } => {
  const assets = new Map<string, Asset>([
    ['dashboard.css', load(own('dashboard.css'), 'text/css; charset=utf-8')],
    ['dashboard.js', load(own('dashboard.js'), 'text/javascript; charset=utf-8')],
    ['chart.umd.min.js', load(chartJsFile(), 'text/javascript; charset=utf-8')],
  ]);
  const url = (name: string) => `/dashboard/assets/${name}?v=${assets.get(name)!.hash}`;
  const app = new Hono().get('/dashboard/assets/:name', (c) => {
    const asset = assets.get(c.req.param('name'));
    if (!asset) return c.notFound();
    const etag = `"${asset.hash}"`;
    c.header('ETag', etag);
    c.header(
      'Cache-Control',
      c.req.query('v') === asset.hash ? `public, max-age=${year}, immutable` : 'public, max-age=300',
    );
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
    c.header('Content-Type', asset.type);
    return c.body(asset.body as Uint8Array<ArrayBuffer>);
  });
  return {
    urls: { css: url('dashboard.css'), chart: url('chart.umd.min.js'), app: url('dashboard.js') },
    app,
  };
};
