import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { zonedTime } from '../../../projections/targets/calendar.ts';
import { targetProgressOf } from '../../../projections/targets/queries.ts';
import { canView } from '../../../write/authorization/policy.ts';
import { historyBlocks } from '../../blocks/history.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { targetLines } from '../../digest/content.ts';
import { loadDashboard } from '../../queries/dashboard.ts';
import { coachingPlanText } from '../../text/coaching-plan.ts';
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
    const teams = await deps.teams.config();
    if (!canView(viewer, subject, teams)) {
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
      work: async () => {
        const [dashboard, targets] = await Promise.all([
          loadDashboard(deps.pool, subject, deps.personal, teams),
          targetProgressOf(deps.pool, [subject], {
            window: deps.coachingPlan.window,
            today: zonedTime(deps.clock(), deps.coachingPlan.timeZone).date,
            // Targets are extra: a missing read model leaves them out, not the history.
          }).catch(() => []),
        ]);
        const answer = historyBlocks(dashboard, language, subject === viewer ? undefined : subject);
        // Targets and progress to them (issue 16, targets).
        if (targets.length > 0) {
          const lines = [`*${coachingPlanText[language].targetsTitle}*`, ...targetLines(targets, language)];
          answer.blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } });
        }
        return answer;
      },
    });
  };
