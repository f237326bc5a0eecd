import { Hono } from 'hono';
import { ErrorBody } from '../../schemas/api/errors.ts';
import type { SlackEndpoint } from './body.ts';

/** The Slack paths of the seed's manifest. */
export const slackPaths: Record<SlackEndpoint, string> = {
  events: '/api/v1/slack/events',
  commands: '/api/v1/slack/commands',
  interactive: '/api/v1/slack/interactive',
};

/**
 * The shape read-api mounts (`RouteGroup`: a Hono app and its OpenAPI descriptions), declared
 * here so that slack-edge does not import read-api; it is structurally the same.
 */
export type SlackRouteSpec = {
  method: 'post';
  path: string;
  summary: string;
  description?: string;
  tags?: readonly string[];
  security: 'public';
  responses: Readonly<Record<number, { description: string; schema?: typeof ErrorBody }>>;
};
export type SlackRouteGroup = { app: Hono; specs: readonly SlackRouteSpec[] };

const summaries: Record<SlackEndpoint, string> = {
  events: 'Slack Events API (url_verification, app_mention, message.*, app_home_opened, …)',
  commands: 'Slack slash commands: /ai_help, /ai_knowledge [keywords], /ai_history',
  interactive: 'Slack interactivity: block actions and view submissions',
};

const specs: readonly SlackRouteSpec[] = (Object.keys(slackPaths) as SlackEndpoint[]).map((endpoint) => ({
  method: 'post',
  path: slackPaths[endpoint],
  summary: summaries[endpoint],
  description: 'Signed by Slack (v0 signature, 5-minute window); needs no API key.',
  tags: ['slack'],
  security: 'public',
  responses: {
    200: { description: 'Acknowledged' },
    400: { description: 'Malformed body', schema: ErrorBody },
    401: { description: 'Missing, wrong or stale signature', schema: ErrorBody },
    503: { description: 'Slack is not configured in this process', schema: ErrorBody },
  },
}));

export type SlackRequestHandler = (endpoint: SlackEndpoint, request: Request) => Promise<Response>;

/** The three Slack endpoints, each handed to `handle`. */
export const slackRoutes = (handle: SlackRequestHandler): SlackRouteGroup => {
  const app = new Hono();
  for (const endpoint of Object.keys(slackPaths) as SlackEndpoint[]) {
    app.post(slackPaths[endpoint], (c) => handle(endpoint, c.req.raw));
  }
  return { app, specs };
};

/** The endpoints of a process where Slack is not configured (or uses Socket Mode): 503 with why. */
export const unavailableSlackRoutes = (message: string): SlackRouteGroup =>
  slackRoutes(async () => Response.json({ error: { code: 'UNAVAILABLE', message } }, { status: 503 }));
