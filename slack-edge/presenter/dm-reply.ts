import type { Citation } from '../../schemas/events/index.ts';
import type { ReplyStream } from '../../write/agent/ports.ts';
import { replyPieces } from '../blocks/reply.ts';
import { textsFor } from '../text/messages.ts';
import { footerFor, type ReplyJob } from './context.ts';
import { replyMetadata } from './orphan.ts';
import { deliverPieces } from './post.ts';
import { Serial } from './serial.ts';

/**
 * A reply at the top level of a DM. Slack streams and shows a thinking status only inside a
 * thread, and answering in a thread would split the DM conversation, so the reply is shown as
 * a placeholder ("考えています…") posted at once and replaced by the answer when it is done.
 */
export const dmReply = (job: ReplyJob): ReplyStream => {
  const slack = new Serial();
  let placeholderTs = job.earlierTs;
  if (!placeholderTs) {
    slack.run(async () => {
      try {
        const posted = await job.client.chat.postMessage({
          channel: job.channel,
          text: textsFor(job.context.language).placeholder,
          // Found again by its key if the process dies before the ledger records its ts.
          metadata: replyMetadata(job.key),
        });
        placeholderTs = posted.ts ?? null;
        if (placeholderTs) await job.ledger.messagePosted(job.key, placeholderTs);
      } catch (error) {
        job.logger.warn(
          { err: error },
          'slack: could not post the placeholder; the answer will be posted instead',
        );
      }
    });
  }
  const show = async (text: string, citations: Citation[] | null) => {
    await slack.idle();
    const first = await deliverPieces({
      client: job.client,
      channel: job.channel,
      threadTs: null,
      existingTs: placeholderTs,
      pieces: replyPieces(text),
      footer: citations ? footerFor(job, citations) : null,
      feedback: job.feedback,
      // Without a placeholder, the answer itself carries the reply's key (found again the same way).
      metadata: replyMetadata(job.key),
    });
    await job.ledger.finished(job.key, first);
  };
  return {
    append: () => {},
    finish: (text, citations) => show(text, citations),
    fail: (apology) => show(apology, null),
  };
};
