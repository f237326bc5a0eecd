import type { Language } from '../../write/agent/language.ts';
import type { Dashboard } from '../queries/dashboard.ts';
import { textsFor } from '../text/messages.ts';
import { escapeMrkdwn } from '../text/mrkdwn.ts';
import { actionIds, viewIds } from './action-ids.ts';
import type { HomeView, KnownBlock } from './block-types.ts';
import { rubricLine, skillLines } from './skills.ts';

/** Slack renders `<!date^…>` in the viewer's own time zone and locale. */
export const slackDate = (iso: string) => {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${seconds}^{date_short} {time}|${iso.slice(0, 16).replace('T', ' ')} UTC>`;
};

/**
 * The Home tab, the rep's dashboard: skill profile with trends, the suggested next practice (the
 * weakest skill) with a button that starts a roleplay, and the latest sessions.
 */
export const homeView = (dashboard: Dashboard, language: Language): HomeView => {
  const t = textsFor(language);
  const { history, recentSessions } = dashboard;
  const weakest = history?.profile.weakest[0];
  const weakestLabel = dashboard.rubric.skills.find((s) => s.key === weakest)?.label[language];
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: t.homeHeader } },
    { type: 'section', text: { type: 'mrkdwn', text: t.homeIntro } },
    { type: 'divider' },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: history
          ? `${t.homeProfile}\n${skillLines(history, dashboard.rubric, language)}\n_${rubricLine(dashboard.rubric, language)}_`
          : `${t.homeProfile}\n${t.historyNone}`,
      },
    },
  ];
  if (history) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: t.summary(history.profile.sessions, history.profile.insights) }],
    });
  }
  blocks.push(
    { type: 'divider' },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${t.homeSuggestion}\n${weakestLabel ? t.suggestionFor(weakestLabel) : t.suggestionNone}`,
      },
      accessory: {
        type: 'button',
        style: 'primary',
        action_id: actionIds.startRoleplay,
        text: { type: 'plain_text', text: t.startRoleplay },
        value: weakest ?? 'none',
      },
    },
    { type: 'divider' },
  );
  const lines = recentSessions.map((s) => {
    const state = s.endedAt ? '' : `（${t.ongoing}）`;
    const persona = s.persona ? ` — ${escapeMrkdwn(s.persona)}` : '';
    const feedback = s.feedback.up + s.feedback.down > 0 ? `　👍${s.feedback.up} 👎${s.feedback.down}` : '';
    return `• ${slackDate(s.startedAt)}　${t.sessionLine(s.mode, s.messageCount)}${persona}${state}${feedback}`;
  });
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: `${t.homeRecent}\n${lines.length ? lines.join('\n') : t.homeNoSessions}` },
  });
  return { type: 'home', callback_id: viewIds.home, blocks };
};
