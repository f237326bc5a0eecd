import type { EventOf, SalesEvent } from '../../../schemas/events/index.ts';
import type { Rubric } from '../../../schemas/rubrics.ts';
import { nothingToScore, scorecardKeptPrivate, scoringFailed } from '../canned-replies.ts';
import type { InsightOutput } from '../insight/schema.ts';
import { renderScorecard } from '../insight/scorecard.ts';
import { parseUserIntent } from '../intent.ts';
import type { Language } from '../language.ts';
import type { ChatMessage } from '../llm/port.ts';
import { isPrivateConversation } from '../private-context.ts';
import { type AgentDeps, metadataFor, send, toChat } from './deps.ts';
import { SafeReplyStream } from './presenting.ts';
import { deriveAndRecordInsight } from './record-insight.ts';
import { recordReply, replyContext, showRecordedReply } from './reply.ts';
import type { SessionMeta } from './session-cache.ts';
import type { Followers, SessionMessage } from './session-loader.ts';

/**
 * The rep's lines worth scoring: the roleplay without the request that started it and the
 * 「終了」 that ended it.
 */
export const roleplayTranscript = (messages: readonly SessionMessage[]): ChatMessage[] => {
  const lines = [...messages];
  const first = lines[0];
  if (first?.role === 'user' && first.seq === 0 && parseUserIntent(first.text).kind === 'start_roleplay')
    lines.shift();
  const last = lines.at(-1);
  if (last?.role === 'user' && parseUserIntent(last.text).kind === 'end_roleplay') lines.pop();
  return toChat(lines);
};

const fromRecorded = (data: EventOf<'InsightDerived'>['data']): InsightOutput => ({
  scores: data.scores,
  strengths: data.strengths,
  improvements: data.improvements,
  nextActions: data.nextActions,
  summary: data.summary,
});

export type FinishRoleplay = {
  cause: SalesEvent;
  meta: SessionMeta;
  messages: readonly SessionMessage[];
  followers: Followers;
  /** The rep's 「終了」, or the closing marker when the session was ended from outside. */
  replyTo: string;
  language: Language;
  /** Base of the idempotency keys (the causing event's id). */
  key: string;
  /** End the session afterwards (when the rep ended it with a message). */
  endSession: boolean;
  signal: AbortSignal;
};

/**
 * Scores the rep on the rubric and replies with the scorecard. The insight is recorded before
 * the reply, so a repeat after a crash shows the scorecard of the recorded insight instead of
 * asking the model again (which could score differently).
 */
export const finishRoleplay = async (deps: AgentDeps, finish: FinishRoleplay): Promise<void> => {
  const { meta, followers, language } = finish;
  // Scores are private coaching data: outside a DM the reply only says where to find them.
  const scorecard = (insight: InsightOutput, rubric: Pick<Rubric, 'skills'>) =>
    isPrivateConversation(meta.conversation)
      ? renderScorecard(insight, rubric, language, meta.persona)
      : scorecardKeptPrivate[language];
  const recorded = followers.replies.get(finish.replyTo);
  if (recorded)
    await showRecordedReply(deps, replyContext(meta, finish.replyTo, language, 'scorecard'), recorded);
  else {
    const recorded = followers.insights.get('session');
    // Opened before scoring, so that the rep sees the scoring step while it runs.
    const output = await SafeReplyStream.open(
      deps.presenter,
      replyContext(meta, finish.replyTo, language, 'scorecard'),
      deps.logger,
    );
    let text: string;
    if (recorded) text = scorecard(fromRecorded(recorded), await deps.rubrics.rubric(recorded.rubric));
    else {
      const transcript = roleplayTranscript(finish.messages);
      if (!transcript.some((m) => m.role === 'user')) text = nothingToScore[language];
      else {
        await output.step({ id: 'scoring', status: 'in_progress' });
        const insight = await deriveAndRecordInsight(deps, {
          cause: finish.cause,
          meta,
          transcript,
          task: 'roleplay_score',
          language,
          basedOnMessageId: null,
          key: `${finish.key}:insight`,
          signal: finish.signal,
        });
        await output.step({ id: 'scoring', status: insight ? 'complete' : 'error' });
        text = insight ? scorecard(insight.insight, insight.rubric) : scoringFailed[language];
      }
    }
    await recordReply(
      deps,
      {
        cause: finish.cause,
        meta,
        replyTo: finish.replyTo,
        text,
        citations: [],
        key: `${finish.key}:reply`,
        failed: false,
      },
      output,
    );
  }
  if (finish.endSession) {
    await send(
      deps,
      {
        type: 'EndSession',
        conversationId: meta.conversation.id,
        sessionId: meta.sessionId,
        reason: 'roleplay_finished',
      },
      metadataFor(deps, finish.cause, `${finish.key}:end`),
    );
  }
};
