import type { Language } from '../../write/agent/language.ts';
import type { Dashboard } from '../queries/dashboard.ts';
import { textsFor } from '../text/messages.ts';
import { escapeMrkdwn } from '../text/mrkdwn.ts';
import type { KnownBlock } from './block-types.ts';
import { perWeekLines, rubricLine, skillLines } from './skills.ts';

const bullets = (items: readonly string[]) => items.map((item) => `• ${escapeMrkdwn(item)}`).join('\n');

/** `/ai_history`: skill scores with their trend, the latest strengths and improvements, sessions per week. */
export const historyBlocks = (
  dashboard: Dashboard,
  language: Language,
  /** Whose history, when it is not the viewer's own (a manager looking at a rep of their team). */
  subject?: string,
): { text: string; blocks: KnownBlock[] } => {
  const t = textsFor(language);
  const { history, latestInsight } = dashboard;
  if (!history) {
    const text = subject ? t.historyNoneOf(subject) : escapeMrkdwn(t.historyNone);
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: subject ? t.historyTitleOther : t.historyTitle } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${subject ? `${t.historyOf(subject)}　` : ''}${t.summary(history.profile.sessions, history.profile.insights)}`,
        },
      ],
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${t.skillsHeading}\n${skillLines(history, dashboard.rubric, language)}\n_${rubricLine(dashboard.rubric, language)}_`,
      },
    },
  ];
  if (latestInsight && latestInsight.strengths.length > 0) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${t.strengthsHeading}\n${bullets(latestInsight.strengths.slice(0, 5))}`,
      },
    });
  }
  if (latestInsight && latestInsight.improvements.length > 0) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${t.improvementsHeading}\n${bullets(latestInsight.improvements.slice(0, 5))}`,
      },
    });
  }
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: `${t.perWeekHeading}\n${perWeekLines(history)}` },
  });
  return { text: subject ? t.historyTitleOther : t.historyTitle, blocks };
};
