import type { HistoryResponse } from '../../schemas/api/read-models.ts';
import type { Rubric } from '../../schemas/rubrics.ts';
import type { Language } from '../../write/agent/language.ts';
import { sparkline, trendArrow } from '../text/sparkline.ts';

/** How many of the latest sessions a skill's sparkline shows. */
const trendSessions = 12;

/**
 * One line per skill: the current level, the trend over the latest sessions as a sparkline on
 * the fixed 1–5 scale, and the direction of the least-squares slope.
 */
export const skillLines = (
  history: HistoryResponse,
  rubric: Pick<Rubric, 'skills'>,
  language: Language,
): string =>
  rubric.skills
    .map(({ key, label }) => {
      const scores = history.sessions.slice(-trendSessions).map((s) => s.scores[key] ?? null);
      const line = sparkline(scores, { min: 1, max: 5 });
      const current = (history.profile.current[key] ?? 0).toFixed(1);
      const sep = language === 'ja' ? '：' : ': ';
      return `• ${label[language]}${sep}*${current}* \`${line}\` ${trendArrow(history.trend.slope[key] ?? 0)}`;
    })
    .join('\n');

/** The rubric's name, as a line above the skills (so a rep knows which methodology scored them). */
export const rubricLine = (rubric: Pick<Rubric, 'name' | 'version'>, language: Language): string =>
  language === 'ja'
    ? `評価基準：${rubric.name.ja}（v${rubric.version}）`
    : `Rubric: ${rubric.name.en} (v${rubric.version})`;

/** Sessions per ISO week, as a sparkline and the latest weeks' counts. */
export const perWeekLines = (history: HistoryResponse): string => {
  const weeks = history.trend.weekly.slice(-8);
  if (weeks.length === 0) return '–';
  const line = sparkline(
    weeks.map((w) => w.sessions),
    { min: 0 },
  );
  return `\`${line}\`  ${weeks.map((w) => `${w.week.replace(/^\d{4}-/, '')}: ${w.sessions}`).join(' · ')}`;
};
