import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { canView } from '../../../write/authorization/policy.ts';
import { historyBlocks } from '../../blocks/history.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { loadDashboard } from '../../queries/dashboard.ts';
import { textsFor } from '../../text/messages.ts';
import { answerCommand } from './answer.ts';

/**
 * Whose history `/ai_history` asks for: a mention (`<@U123|name>`, which Slack sends when the
 * command escapes its text) or a bare user id; null for the caller's own.
 */
export const historySubject = (text: string): string | null =>
  /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/.exec(text)?.[1] ?? /\b([UW][A-Z0-9]{6,})\b/.exec(text)?.[1] ?? null;

/**
 * `/ai_history [@rep]`: the growth history (skill scores with their trend, latest strengths and
 * improvements, sessions per week) of the caller, or of a rep of their team for a manager
 * (write/authorization/policy.ts decides; anyone else is refused).
 */
export const aiHistory =
  (deps: SlackEdgeDeps) =>
  async ({ command, ack, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const viewer = command.user_id;
    const language = await deps.languageOf(viewer);
    const t = textsFor(language);
    const asked = historySubject(command.text);
    const subject = asked ?? viewer;
    if (!canView(viewer, subject, deps.authorization)) {
      await ack({ response_type: 'ephemeral', text: t.historyNotAllowed });
      return;
    }
    await answerCommand({
      ack,
      respond,
      interim: t.loadingHistory,
      failure: t.somethingWrong,
      inlineMs: deps.inlineAnswerMs,
      logger: deps.logger,
      work: async () =>
        historyBlocks(
          await loadDashboard(deps.pool, subject, deps.personal, deps.authorization),
          language,
          subject === viewer ? undefined : subject,
        ),
    });
  };
