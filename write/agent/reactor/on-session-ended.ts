import type { EventOf } from '../../../schemas/events/index.ts';
import { closingReplyTo } from '../../dialogue/stream.ts';
import type { RecordedEvent } from '../../event-store/port.ts';
import { type AgentDeps, languageOf, toChat } from './deps.ts';
import { finishRoleplay } from './finish-roleplay.ts';
import { deriveAndRecordInsight } from './record-insight.ts';
import { loadSession, readFollowers } from './session-loader.ts';

/**
 * A session ended. A roleplay ended from outside (EndSession, inactivity, a new roleplay) gets
 * its scorecard as the session's closing reply; one the rep ended with 「終了」 (reason
 * `roleplay_finished`) has had it already, and one ended by the system is left alone. With
 * INSIGHTS_MODE=session_end a coaching session gets one insight on the whole session.
 */
export const handleSessionEnded = async (
  deps: AgentDeps,
  record: RecordedEvent,
  event: EventOf<'SessionEnded'>,
  signal: AbortSignal,
): Promise<void> => {
  const { sessionId, reason } = event.data;
  const cached = deps.cache.get(sessionId);
  if (cached?.mode === 'coaching' && deps.insightsMode !== 'session_end') return;
  if (cached?.mode === 'roleplay' && (reason === 'roleplay_finished' || reason === 'system')) return;

  const view = await loadSession(deps, deps.cache, record.streamId, sessionId, record.revision);
  const followers = await readFollowers(deps, record.streamId, sessionId, record.revision);
  const language = languageOf(view.messages);
  if (view.meta.mode === 'roleplay') {
    if (reason === 'roleplay_finished' || reason === 'system') return;
    await finishRoleplay(deps, {
      cause: event,
      meta: view.meta,
      messages: view.messages,
      followers,
      replyTo: closingReplyTo(sessionId),
      language,
      key: event.metadata.eventId,
      endSession: false,
      signal,
    });
    return;
  }
  if (deps.insightsMode !== 'session_end' || followers.insights.has('session')) return;
  if (!view.messages.some((m) => m.role === 'user')) return;
  await deriveAndRecordInsight(deps, {
    cause: event,
    meta: view.meta,
    transcript: toChat(view.messages),
    task: 'insight',
    language,
    basedOnMessageId: null,
    key: `${event.metadata.eventId}:insight`,
    signal,
  });
};
