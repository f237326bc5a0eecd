import type pg from 'pg';
import { weakestSkillsOf } from '../../projections/growth/queries.ts';
import { type WeeklyGrowth, weeklyGrowth } from '../../projections/growth/weekly.ts';
import type { TargetProgress } from '../../projections/targets/progress.ts';
import { targetProgressOf } from '../../projections/targets/queries.ts';
import { type SkillKey, skillKeys, skillLabels } from '../../schemas/skills.ts';
import type { Language } from '../../write/agent/language.ts';
import type { KnownBlock } from '../blocks/block-types.ts';
import { coachingPlanText, signed } from '../text/coaching-plan.ts';

export type DigestContent = {
  week: string;
  language: Language;
  growth: WeeklyGrowth;
  weakest: SkillKey | null;
  targets: TargetProgress[];
};

/** What a rep's digest says, from the read models: last week's growth, their weakest skill, their targets. */
export const loadDigestContent = async (
  pool: pg.Pool,
  userId: string,
  options: { week: string; language: Language; now: Date; today: string; window: number },
): Promise<DigestContent> => {
  const since = new Date(options.now.getTime() - 7 * 86_400_000).toISOString();
  const [growth, weakest, targets] = await Promise.all([
    weeklyGrowth(pool, userId, since, options.window),
    weakestSkillsOf(pool, userId),
    targetProgressOf(pool, [userId], { window: options.window, today: options.today }),
  ]);
  return { week: options.week, language: options.language, growth, weakest: weakest?.[0] ?? null, targets };
};

const skillName = (skill: string, language: Language) =>
  (skillLabels as Record<string, { ja: string; en: string }>)[skill]?.[language] ?? skill;

export const targetLines = (targets: readonly TargetProgress[], language: Language): string[] => {
  const t = coachingPlanText[language];
  return targets.map((p) =>
    t.targetLine(
      skillName(p.skill, language),
      p.current === null ? '—' : p.current.toFixed(1),
      p.level,
      p.gap === null ? '—' : p.gap.toFixed(1),
      p.daysLeft,
      t.status(p.status),
    ),
  );
};

/** The digest as a DM: a text fallback and blocks. */
export const digestMessage = (content: DigestContent): { text: string; blocks: KnownBlock[] } => {
  const { language, growth } = content;
  const t = coachingPlanText[language];
  const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: t.digestTitle(content.week) } },
    section(growth.sessions > 0 ? t.digestSessions(growth.sessions) : t.digestNoSessions),
  ];
  if (growth.delta) {
    const delta = growth.delta;
    blocks.push(
      section(
        [
          `*${t.digestDelta}*`,
          ...skillKeys.map((k) => `• ${skillName(k, language)}: ${signed(delta[k] ?? 0)}`),
        ].join('\n'),
      ),
    );
  }
  if (content.weakest) {
    blocks.push(
      section(`${t.digestNext(skillName(content.weakest, language))}\n${t.exercise(content.weakest)}`),
    );
  }
  if (content.targets.length > 0) {
    blocks.push(section([`*${t.targetsTitle}*`, ...targetLines(content.targets, language)].join('\n')));
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: t.digestFooter }] });
  const text = [
    t.digestTitle(content.week),
    growth.sessions > 0 ? t.digestSessions(growth.sessions) : t.digestNoSessions,
    ...(content.weakest ? [t.digestNext(skillName(content.weakest, language))] : []),
  ].join('\n');
  return { text, blocks };
};
