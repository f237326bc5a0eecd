import type { Conversation } from '../../../schemas/events/index.ts';

/** What the agent needs to know of a session, from its SessionStarted event. */
export type SessionMeta = {
  sessionId: string;
  streamId: string;
  conversation: Conversation;
  userId: string;
  mode: 'coaching' | 'roleplay';
  persona: string | null;
  /** Where the SessionStarted event is in the dialogue stream. */
  startRevision: bigint;
};

/**
 * Sessions seen recently, so a message's session is known without scanning its stream back to
 * the SessionStarted event (the subscription delivers that event first). Bounded, oldest out.
 */
export class SessionCache {
  private readonly entries = new Map<string, SessionMeta>();
  private readonly limit: number;

  constructor(limit = 5000) {
    this.limit = limit;
  }

  get(sessionId: string): SessionMeta | undefined {
    const meta = this.entries.get(sessionId);
    if (meta) {
      this.entries.delete(sessionId);
      this.entries.set(sessionId, meta);
    }
    return meta;
  }

  /** Forget-user: drops every session of the person (its meta holds their persona, opened). */
  forgetUser(userId: string): number {
    let dropped = 0;
    for (const [sessionId, meta] of this.entries) {
      if (meta.userId === userId) {
        this.entries.delete(sessionId);
        dropped += 1;
      }
    }
    return dropped;
  }

  set(meta: SessionMeta): void {
    this.entries.delete(meta.sessionId);
    this.entries.set(meta.sessionId, meta);
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
