import type { Citation } from '../../schemas/events/index.ts';
import type { Logger } from '../../schemas/logger.ts';
import type { ReplyContext, ReplyStream } from '../../write/agent/ports.ts';
import type { ReplyKind } from '../blocks/reply.ts';
import type { ReplyRef } from '../blocks/reply-ref.ts';
import type { SlackClient } from '../web/client.ts';
import type { ReplyLedger } from './ledger.ts';
import type { FeedbackChoice } from './post.ts';
import type { StepsChoice } from './steps.ts';

/** What one reply's presentation works with. */
export type ReplyJob = {
  client: SlackClient;
  ledger: ReplyLedger;
  logger: Logger;
  feedback: FeedbackChoice;
  steps: StepsChoice;
  context: ReplyContext;
  /** The ledger key: conversation and the message answered. */
  key: string;
  channel: string;
  ref: ReplyRef;
  kind: ReplyKind;
  /** A message an earlier attempt at this reply left in Slack (reused, never posted twice). */
  earlierTs: string | null;
  /** An earlier attempt's stream ended early: the reply's text from here on is in a new message. */
  continuedFrom: number | null;
};

export const silentStream: ReplyStream = { append: () => {}, finish: () => {}, fail: () => {} };

export const footerFor = (job: ReplyJob, citations: readonly Citation[]) => ({
  ref: job.ref,
  kind: job.kind,
  language: job.context.language,
  citations,
});
