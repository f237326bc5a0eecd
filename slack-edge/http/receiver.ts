import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../schemas/logger.ts';
import { PendingAck } from './ack-response.ts';
import { parseSlackBody, type SlackEndpoint } from './body.ts';
import { verifySlackSignature } from './signature.ts';

export type HttpReceiverOptions = {
  signingSecret: string;
  logger: Logger;
  /** Milliseconds since the epoch; tests fix it. */
  clock?: () => number;
  /** Slack gives up after 3 s; when no listener has acknowledged by this time, answer 200 anyway. */
  ackDeadlineMs?: number;
};

const errorResponse = (status: number, code: string, message: string) =>
  Response.json({ error: { code, message } }, { status });

const never = new Promise<never>(() => {});

/**
 * Bolt's receiver for our own Hono server (one port for the read API and Slack). It verifies
 * Slack's signature itself, reads the body by endpoint, answers url_verification and ssl_check,
 * and hands everything else to Bolt with an `ack` that becomes the HTTP answer.
 *
 * Events API requests are answered once their listeners have finished (at most `ackDeadlineMs`):
 * the listeners only record the message (one append), so Slack hears 200 only when it is stored;
 * a failure answers 500 and a recording still running at the deadline 503, which Slack retries
 * with the same event_id (recorded once).
 * Commands and interactions are answered as soon as their listener acks; slower work continues.
 */
export class HttpReceiver implements Receiver {
  private app: App | null = null;
  private readonly options: HttpReceiverOptions;
  private readonly logger: Logger;

  constructor(options: HttpReceiverOptions) {
    this.options = options;
    this.logger = options.logger;
  }

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  async handle(endpoint: SlackEndpoint, request: Request): Promise<Response> {
    const started = Date.now();
    const raw = Buffer.from(await request.arrayBuffer());
    const check = verifySlackSignature({
      signingSecret: this.options.signingSecret,
      timestamp: request.headers.get('x-slack-request-timestamp') ?? undefined,
      signature: request.headers.get('x-slack-signature') ?? undefined,
      rawBody: raw,
      nowSeconds: Math.floor((this.options.clock ?? Date.now)() / 1000),
    });
    if (!check.ok) {
      this.logger.warn(
        { endpoint, reason: check.reason },
        'slack: refused a request that is not validly signed',
      );
      return errorResponse(401, 'UNAUTHORIZED', `Slack request verification failed: ${check.reason}`);
    }
    const parsed = parseSlackBody(endpoint, raw.toString('utf8'));
    switch (parsed.kind) {
      case 'invalid':
        this.logger.warn({ endpoint, problem: parsed.message }, 'slack: malformed request body');
        return errorResponse(400, 'VALIDATION', `malformed Slack ${endpoint} body: ${parsed.message}`);
      case 'answer':
        return Response.json(parsed.json, { status: parsed.status });
      case 'ignore':
        this.logger.debug({ endpoint, reason: parsed.reason }, 'slack: nothing to do');
        return new Response(null, { status: 200 });
      case 'dispatch':
        return this.dispatch(endpoint, parsed.body, request.headers, started);
    }
  }

  private async dispatch(
    endpoint: SlackEndpoint,
    body: Record<string, unknown>,
    headers: Headers,
    started: number,
  ): Promise<Response> {
    const app = this.app;
    if (!app) return errorResponse(503, 'UNAVAILABLE', 'the Slack app is starting');
    const pending = new PendingAck();
    const retryNum = Number(headers.get('x-slack-retry-num') ?? Number.NaN);
    const retryReason = headers.get('x-slack-retry-reason');
    const event: ReceiverEvent = {
      body,
      ack: pending.ack,
      ...(Number.isInteger(retryNum) ? { retryNum } : {}),
      ...(retryReason ? { retryReason } : {}),
    };
    const processing = app.processEvent(event).then(
      () => ({ ok: true as const }),
      (error: unknown) => {
        // Bolt gathers the errors of several listeners in `originals`: name each one.
        const originals = (error as { originals?: unknown[] }).originals;
        this.logger.error(
          {
            err: error,
            endpoint,
            ...(Array.isArray(originals)
              ? { causes: originals.map((e) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e))) }
              : {}),
          },
          'slack: a listener failed',
        );
        return { ok: false as const };
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(
        () => resolve('deadline'),
        Math.max(0, (this.options.ackDeadlineMs ?? 2500) - (Date.now() - started)),
      );
    });
    try {
      if (endpoint === 'events') {
        const outcome = await Promise.race([processing, deadline]);
        if (outcome === 'deadline') {
          // Not recorded yet (the database is slow or down): a 200 now would make Slack forget
          // the event even if recording then fails. Slack retries a 503 with the same event_id,
          // which is recorded once however many attempts succeed.
          this.logger.warn({ endpoint }, 'slack: event not recorded by the ack deadline; answering 503');
          return errorResponse(503, 'UNAVAILABLE', 'the event is not recorded yet; Slack will retry it');
        }
        if (!outcome.ok)
          return errorResponse(500, 'INTERNAL', 'the event could not be handled; Slack will retry it');
        return pending.done ? await pending.acked : new Response(null, { status: 200 });
      }
      const first = await Promise.race([
        pending.acked,
        processing.then((r) => (pending.done ? never : r)),
        deadline,
      ]);
      if (first instanceof Response) return first;
      if (first === 'deadline')
        this.logger.warn({ endpoint }, 'slack: no ack before the deadline; answering 200');
      return new Response(null, { status: 200 });
    } finally {
      clearTimeout(timer);
    }
  }
}
