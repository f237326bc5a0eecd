/** What Bolt's `ack` was given, as the HTTP answer Slack expects. */
export const ackToResponse = (response: unknown): Response => {
  if (response === undefined || response === null || response === '')
    return new Response(null, { status: 200 });
  if (typeof response === 'string') {
    return new Response(response, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  return Response.json(response, { status: 200 });
};

/**
 * The `ack` handed to Bolt for one request: the first call decides the HTTP answer (later ones
 * are ignored, as Slack has had its answer).
 */
export class PendingAck {
  private resolveAck!: (response: Response) => void;
  private settled = false;
  readonly acked: Promise<Response>;

  constructor() {
    this.acked = new Promise((resolve) => {
      this.resolveAck = resolve;
    });
  }

  get done(): boolean {
    return this.settled;
  }

  readonly ack = async (response?: unknown): Promise<void> => {
    if (this.settled) return;
    this.settled = true;
    this.resolveAck(ackToResponse(response));
  };
}
