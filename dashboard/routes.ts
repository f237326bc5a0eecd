import { Hono, type MiddlewareHandler } from 'hono';
import { except } from 'hono/combine';
import { payloadLimit } from '../read-api/middleware/payload-limit/index.ts';
import { knowledgeUploadMaxBytes, knowledgeUploadPagePath } from '../schemas/api/knowledge-documents.ts';
import { AppError } from '../schemas/errors.ts';
import { dashboardAssets } from './assets.ts';
import { requireCsrf, requireSession } from './auth/session-middleware.ts';
import { signInRoutes } from './auth/sign-in-routes.ts';
import { slackSignInRoutes } from './auth/slack/routes.ts';
import type { DashboardDeps } from './deps.ts';
import { languageMiddleware } from './i18n/lang.ts';
import { dashboardErrorHandler } from './pages/errors.ts';
import { knowledgePages } from './pages/knowledge.ts';
import { projectionPages } from './pages/projections.ts';
import { repPage } from './pages/rep.ts';
import { sessionPage } from './pages/session.ts';
import { targetForms } from './pages/targets.ts';
import { teamPage } from './pages/team.ts';
import { createRuntime } from './runtime.ts';

export type { DashboardDeps } from './deps.ts';

/**
 * Scripts, styles and data only from this origin; no inline script or style at all (chart
 * data travels in JSON data blocks), no framing, forms post only here.
 */
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const pageHeaders = (): MiddlewareHandler =>
  async function dashboardPageHeaders(c, next) {
    await next();
    c.header('Content-Security-Policy', contentSecurityPolicy);
    // Pages show personal data: not kept by the browser or any cache on the way.
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
    c.header('Vary', 'Cookie');
  };

/** Reachable without a session (sign-out checks its session itself). */
const publicPaths = [
  '/dashboard/assets/*',
  '/dashboard/sign-in',
  '/dashboard/sign-out',
  '/dashboard/sign-in/slack',
  '/dashboard/sign-in/slack/callback',
];

/**
 * The web dashboard under /dashboard, as a route group for createApiApp's `routes` (its pages
 * are not part of the OpenAPI document). Everything but the sign-in page and the static assets
 * needs a signed-in session; the projections pages need the ops scope.
 */
export const dashboardRoutes = (deps: DashboardDeps): { app: Hono; specs: readonly never[] } => {
  const assets = dashboardAssets();
  const rt = createRuntime(deps, assets.urls);
  const app = new Hono();
  app.onError(dashboardErrorHandler(rt));

  app.route('/', assets.app);
  app.get('/dashboard/', (c) => c.redirect('/dashboard', 301));
  app.use('/dashboard/*', except('/dashboard/assets/*', languageMiddleware(), pageHeaders()));
  app.route('/', signInRoutes(rt));
  app.route('/', slackSignInRoutes(rt));

  // Uploads are exempt from the API's body limit: theirs is larger, and checked before the CSRF
  // check reads the body.
  app.use(knowledgeUploadPagePath, payloadLimit({ maxBytes: knowledgeUploadMaxBytes }));
  app.use('/dashboard/*', except(publicPaths, requireSession(rt), requireCsrf(rt)));
  app.route('/', teamPage(rt));
  app.route('/', repPage(rt));
  app.route('/', targetForms(rt));
  app.route('/', sessionPage(rt));
  app.route('/', knowledgePages(rt));
  app.route('/', projectionPages(rt));
  app.all('/dashboard/*', () => {
    throw new AppError('NOT_FOUND', 'no such dashboard page');
  });
  return { app, specs: [] };
};
