import type { EventOf } from '../../../schemas/events/index.ts';
import type { RecordedEvent } from '../../event-store/port.ts';
import { apologies, isCannedFailure, overLimitNote } from '../canned-replies.ts';
import { parseUserIntent } from '../intent.ts';
import { isPrivateConversation } from '../private-context.ts';
import { buildCoachingRequest, buildRoleplayRequest } from '../prompt/build.ts';
import { citationsIn } from '../prompt/knowledge.ts';
import { type AgentDeps, languageOf, mayUseKnowledge, retrieve, toChat, weakestSkills } from './deps.ts';
import { finishRoleplay } from './finish-roleplay.ts';
import { generateText } from './generate.ts';
import { SafeReplyStream } from './presenting.ts';
import { deriveAndRecordInsight } from './record-insight.ts';
import { recordReply, replyContext, showRecordedReply } from './reply.ts';
import { type Followers, loadSession, readFollowers, type SessionView } from './session-loader.ts';

type Handling = {
  deps: AgentDeps;
  event: EventOf<'MessageReceived'>;
  view: SessionView;
  followers: Followers;
  signal: AbortSignal;
  /** Over the rep's per-minute limit: answered with a note, without the LLM. */
  overLimit: number | null;
};

/** The over-the-limit note, recorded as the reply (and shown like one). */
const noteOverLimit = async ({ deps, event, view, overLimit }: Handling, kind: 'coaching' | 'roleplay') => {
  const { meta } = view;
  const { messageId, text } = event.data;
  const language = languageOf(view.messages, text);
  const note = overLimitNote(overLimit ?? 0)[language];
  const output = await SafeReplyStream.open(
    deps.presenter,
    replyContext(meta, messageId, language, kind),
    deps.logger,
  );
  const recorded = await recordReply(
    deps,
    {
      cause: event,
      meta,
      replyTo: messageId,
      text: note,
      citations: [],
      key: `${event.metadata.eventId}:reply`,
      failed: true,
    },
    output,
  );
  if (recorded) deps.metrics.throttled?.();
};

/** Coaching: advice grounded in the knowledge base, then (INSIGHTS_MODE=reply) an insight on the exchange. */
const coach = async (handling: Handling) => {
  const { deps, event, view, followers, signal } = handling;
  const { meta } = view;
  const { messageId, text } = event.data;
  const language = languageOf(view.messages, text);
  const key = event.metadata.eventId;
  const recorded = followers.replies.get(messageId);
  let reply = recorded?.text;
  if (recorded) await showRecordedReply(deps, replyContext(meta, messageId, language, 'coaching'), recorded);
  else if (handling.overLimit !== null) return noteOverLimit(handling, 'coaching');
  else {
    // Opened first, so that the rep sees the steps (searching the knowledge base, writing) as they run.
    const output = await SafeReplyStream.open(
      deps.presenter,
      replyContext(meta, messageId, language, 'coaching'),
      deps.logger,
    );
    // The knowledge base is internal: guests and external users are coached without it.
    let documents: Awaited<ReturnType<typeof retrieve>> = [];
    if (await mayUseKnowledge(deps, meta.conversation, meta.userId)) {
      await output.step({ id: 'knowledge', status: 'in_progress' });
      documents = await retrieve(deps, text);
      await output.step({ id: 'knowledge', status: 'complete', found: documents.length });
    }
    const request = buildCoachingRequest({
      session: toChat(view.messages),
      language,
      documents,
      // The profile is private: never in the prompt of a reply others read.
      weakestSkills: isPrivateConversation(meta.conversation) ? await weakestSkills(deps, meta.userId) : [],
      budget: deps.budget,
    });
    await output.step({ id: 'answer', status: 'in_progress' });
    const generated = await generateText(deps.llm, request, output, { ...deps, signal });
    await output.step({ id: 'answer', status: generated.ok ? 'complete' : 'error' });
    reply = generated.ok ? generated.text : apologies[language];
    const citations = generated.ok ? citationsIn(reply, documents) : [];
    const written = await recordReply(
      deps,
      {
        cause: event,
        meta,
        replyTo: messageId,
        text: reply,
        citations,
        key: `${key}:reply`,
        failed: !generated.ok,
      },
      output,
    );
    if (!written) return;
  }
  if (
    reply === undefined ||
    deps.insightsMode !== 'reply' ||
    isCannedFailure(reply) ||
    followers.insights.has(messageId)
  )
    return;
  const transcript = [...toChat(view.messages), { role: 'assistant' as const, content: reply }];
  const insight = (s: AbortSignal) =>
    deriveAndRecordInsight(deps, {
      cause: event,
      meta,
      transcript,
      task: 'insight',
      language,
      basedOnMessageId: messageId,
      key: `${key}:insight`,
      signal: s,
    }).then(() => {});
  // The conversation's next message need not wait for this insight: it runs after the reply.
  if (deps.afterReply) deps.afterReply(insight);
  else await insight(signal);
};

/** Roleplay: the agent answers as the buyer until the rep ends it; then the scorecard. */
const playBuyer = async (handling: Handling) => {
  const { deps, event, view, followers, signal } = handling;
  const { meta } = view;
  const { messageId, text, seq } = event.data;
  const language = languageOf(view.messages, text);
  const key = event.metadata.eventId;
  if (seq > 0 && parseUserIntent(text).kind === 'end_roleplay') {
    await finishRoleplay(deps, {
      cause: event,
      meta,
      messages: view.messages,
      followers,
      replyTo: messageId,
      language,
      key,
      endSession: true,
      signal,
    });
    return;
  }
  const recorded = followers.replies.get(messageId);
  if (recorded) {
    await showRecordedReply(deps, replyContext(meta, messageId, language, 'roleplay'), recorded);
    return;
  }
  if (handling.overLimit !== null) return noteOverLimit(handling, 'roleplay');
  const request = buildRoleplayRequest({
    session: toChat(view.messages),
    language,
    persona: meta.persona,
    budget: deps.budget,
  });
  const output = await SafeReplyStream.open(
    deps.presenter,
    replyContext(meta, messageId, language, 'roleplay'),
    deps.logger,
  );
  const generated = await generateText(deps.llm, request, output, { ...deps, signal });
  await recordReply(
    deps,
    {
      cause: event,
      meta,
      replyTo: messageId,
      text: generated.ok ? generated.text : apologies[language],
      citations: [],
      key: `${key}:reply`,
      failed: !generated.ok,
    },
    output,
  );
};

/**
 * A rep's message: exactly one reply, also when it is delivered again (what already followed it
 * in the stream is not redone, and the decider refuses a second reply anyway). A message of a
 * session that has ended since gets none.
 */
export const handleUserMessage = async (
  deps: AgentDeps,
  record: RecordedEvent,
  event: EventOf<'MessageReceived'>,
  signal: AbortSignal,
  /** The rep's per-minute limit when this message is over it (a note instead of the LLM); else null. */
  overLimit: number | null = null,
): Promise<void> => {
  const { sessionId, messageId } = event.data;
  const followers = await readFollowers(deps, record.streamId, sessionId, record.revision);
  if (followers.ended && !followers.replies.has(messageId)) {
    // The rep's 「終了」 raced an EndSession: the SessionEnded that follows takes care of the scorecard.
    deps.logger.debug({ sessionId, messageId }, 'agent: session already ended; no reply');
    return;
  }
  const view = await loadSession(deps, deps.cache, record.streamId, sessionId, record.revision);
  const handling: Handling = { deps, event, view, followers, signal, overLimit };
  if (view.meta.mode === 'roleplay') await playBuyer(handling);
  else await coach(handling);
};
