import type { Citation, SalesEvent } from '../../../schemas/events/index.ts';
import { isCannedFailure } from '../canned-replies.ts';
import type { Language } from '../language.ts';
import type { ReplyContext } from '../ports.ts';
import { type AgentDeps, metadataFor, send } from './deps.ts';
import { SafeReplyStream } from './presenting.ts';
import type { SessionMeta } from './session-cache.ts';
import type { RecordedReply } from './session-loader.ts';

export const replyContext = (
  meta: SessionMeta,
  replyTo: string,
  language: Language,
  kind: ReplyContext['kind'],
): ReplyContext => ({
  conversation: meta.conversation,
  sessionId: meta.sessionId,
  userId: meta.userId,
  replyTo,
  language,
  kind,
});

/**
 * Records the assistant's reply, then tells the presenter how it ended: `finish` for an answer,
 * `fail` for an apology. False when the session had ended meanwhile (nothing recorded).
 */
export const recordReply = async (
  deps: AgentDeps,
  reply: {
    cause: SalesEvent;
    meta: SessionMeta;
    replyTo: string;
    text: string;
    citations: Citation[];
    key: string;
    failed: boolean;
  },
  output: SafeReplyStream,
): Promise<boolean> => {
  const recorded = await send(
    deps,
    {
      type: 'RecordAssistantReply',
      conversationId: reply.meta.conversation.id,
      sessionId: reply.meta.sessionId,
      replyTo: reply.replyTo,
      text: reply.text,
      citations: reply.citations,
    },
    metadataFor(deps, reply.cause, reply.key),
  );
  // The rep has seen the streamed text either way; the presenter closes the reply it began.
  if (reply.failed) await output.fail(reply.text);
  else await output.finish(reply.text, reply.citations);
  return recorded;
};

/**
 * Finishes showing a reply an earlier attempt recorded: the process may have died between
 * recording it and showing it, leaving the rep with a placeholder. The presenter knows what it
 * began and finished (a reply shown in full, or never begun, is left alone; a placeholder or a
 * broken stream is completed in place), so this is safe whenever a message is answered already.
 */
export const showRecordedReply = async (
  deps: AgentDeps,
  context: ReplyContext,
  reply: RecordedReply,
): Promise<void> => {
  const output = await SafeReplyStream.resume(deps.presenter, context, deps.logger);
  if (!output) return;
  if (isCannedFailure(reply.text)) await output.fail(reply.text);
  else await output.finish(reply.text, reply.citations);
};
