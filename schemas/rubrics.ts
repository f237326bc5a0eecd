import { z } from 'zod';
import { skillKeys, skillLabels } from './skills.ts';
import { SlackUserId } from './slack-ids.ts';

/**
 * Coaching rubrics as data: a methodology's skills, each scored 1–5 by every insight. A rubric is
 * published in versions (1, 2, …); an insight names the version it scored, so history stays
 * readable when a rubric changes. The default is `core` version 1, today's five skills.
 */

export const RubricId = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{0,39}$/,
    'lower-case letters, digits, - and _ (at most 40), starting with a letter',
  );
export const RubricSkillKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _ (at most 40), starting with a letter');

export const LocalizedText = z.object({ ja: z.string().trim().min(1), en: z.string().trim().min(1) });
export type LocalizedText = z.infer<typeof LocalizedText>;

export const RubricSkill = z.object({
  key: RubricSkillKey,
  label: LocalizedText,
  description: LocalizedText,
});
export type RubricSkill = z.infer<typeof RubricSkill>;

export const RubricSkills = z
  .array(RubricSkill)
  .min(1)
  .max(20)
  .refine((skills) => new Set(skills.map((s) => s.key)).size === skills.length, 'skill keys must be unique');

/** `{ id, version }`: which rubric (and which version of it) scored an insight. */
export const RubricRef = z.object({ id: RubricId, version: z.number().int().positive() });
export type RubricRef = z.infer<typeof RubricRef>;

export const Rubric = z.object({
  id: RubricId,
  version: z.number().int().positive(),
  name: LocalizedText,
  skills: RubricSkills,
});
export type Rubric = z.infer<typeof Rubric>;

/** A rubric as a team writes it in a YAML/JSON file: the version is assigned when it is published. */
export const RubricDefinition = Rubric.omit({ version: true });
export type RubricDefinition = z.infer<typeof RubricDefinition>;

/** Skill key → score 1..5. */
export const RubricScores = z.record(RubricSkillKey, z.number().int().min(1).max(5));
export type RubricScores = z.infer<typeof RubricScores>;

export const sameRubric = (a: RubricRef, b: RubricRef): boolean => a.id === b.id && a.version === b.version;
export const rubricRefText = (ref: RubricRef): string => `${ref.id}@${ref.version}`;

/** Scores that name exactly the rubric's skills, each 1..5; otherwise a sentence saying what is wrong. */
export const checkScores = (
  rubric: { skills: readonly { key: string }[] },
  scores: Record<string, unknown>,
): string | null => {
  const keys = rubric.skills.map((s) => s.key);
  const missing = keys.filter((k) => !Object.hasOwn(scores, k));
  if (missing.length > 0) return `missing scores for ${missing.join(', ')}`;
  const extra = Object.keys(scores).filter((k) => !keys.includes(k));
  if (extra.length > 0) return `scores for skills not in the rubric: ${extra.join(', ')}`;
  const bad = keys.filter((k) => {
    const v = scores[k];
    return typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 5;
  });
  return bad.length > 0 ? `scores must be integers 1..5 (${bad.join(', ')})` : null;
};

const skill = (key: string, ja: string, en: string, descJa: string, descEn: string): RubricSkill => ({
  key,
  label: { ja, en },
  description: { ja: descJa, en: descEn },
});

const coreDescriptions: Record<(typeof skillKeys)[number], LocalizedText> = {
  hearing: {
    ja: '質問で顧客の課題・ニーズとその大きさを引き出せているか',
    en: "Draws out the customer's problems, needs and their size with questions",
  },
  proposal: {
    ja: '提案を顧客の課題と効果（金額・時間）に結びつけているか',
    en: "Ties the proposal to the customer's problem and a measurable impact",
  },
  objection_handling: {
    ja: '反論を受け止め、背景を確かめ、価値に戻しているか',
    en: 'Acknowledges objections, probes the reason behind them and returns to value',
  },
  closing: {
    ja: '次のステップ・日程・決裁の流れを合意しているか',
    en: 'Agrees the next step, a date and the approval path',
  },
  relationship: {
    ja: '感謝・共感・フォローで信頼関係を築いているか',
    en: 'Builds trust through thanks, empathy and follow-up',
  },
};

export const coreRubric: Rubric = {
  id: 'core',
  version: 1,
  name: { ja: '基本の5スキル', en: 'Core five skills' },
  skills: skillKeys.map((key) => ({
    key,
    label: skillLabels[key],
    description: coreDescriptions[key],
  })),
};

export const meddiccRubric: Rubric = {
  id: 'meddicc',
  version: 1,
  name: { ja: 'MEDDICC', en: 'MEDDICC' },
  skills: [
    skill(
      'metrics',
      '定量効果',
      'Metrics',
      '顧客が得る効果を数字で確認しているか',
      'Quantifies the gain the customer expects',
    ),
    skill(
      'economic_buyer',
      '経済的決裁者',
      'Economic buyer',
      '予算を決める人を特定し、接点を持っているか',
      'Identifies and reaches the person who controls the budget',
    ),
    skill(
      'decision_criteria',
      '判断基準',
      'Decision criteria',
      '顧客が何で選ぶかを確かめているか',
      'Learns what the customer will choose by',
    ),
    skill(
      'decision_process',
      '意思決定プロセス',
      'Decision process',
      '誰がいつどう決めるかの流れを把握しているか',
      'Maps who decides, how and when',
    ),
    skill(
      'paper_process',
      '契約手続き',
      'Paper process',
      '稟議・法務・購買の手続きと期間を確かめているか',
      'Knows the approval, legal and purchasing steps and their timing',
    ),
    skill(
      'identify_pain',
      '課題の特定',
      'Identify pain',
      '顧客の痛み（業務上の課題）とその影響を特定しているか',
      "Identifies the customer's pain and its business impact",
    ),
    skill(
      'champion',
      '社内推進者',
      'Champion',
      '社内で推してくれる人を見つけ、育てているか',
      'Finds and develops an internal champion',
    ),
    skill(
      'competition',
      '競合',
      'Competition',
      '競合と代替案を把握し、差別化しているか',
      'Knows the competitors and alternatives and differentiates',
    ),
  ],
};

export const spinRubric: Rubric = {
  id: 'spin',
  version: 1,
  name: { ja: 'SPIN話法', en: 'SPIN selling' },
  skills: [
    skill(
      'situation',
      '状況質問',
      'Situation questions',
      '顧客の現状を効率よく確かめているか',
      "Establishes the customer's current situation efficiently",
    ),
    skill(
      'problem',
      '問題質問',
      'Problem questions',
      '顧客の不満や困りごとを引き出しているか',
      'Uncovers difficulties and dissatisfactions',
    ),
    skill(
      'implication',
      '示唆質問',
      'Implication questions',
      '問題が放置されたときの影響を考えさせているか',
      'Makes the consequences of the problem felt',
    ),
    skill(
      'need_payoff',
      '解決質問',
      'Need-payoff questions',
      '解決したときの価値を顧客自身に語らせているか',
      'Gets the customer to state the value of a solution',
    ),
  ],
};

export const bantRubric: Rubric = {
  id: 'bant',
  version: 1,
  name: { ja: 'BANT', en: 'BANT' },
  skills: [
    skill(
      'budget',
      '予算',
      'Budget',
      '予算の有無と規模を確かめているか',
      'Confirms whether there is a budget and how large',
    ),
    skill(
      'authority',
      '決裁権',
      'Authority',
      '決裁者と決裁の流れを確かめているか',
      'Confirms who decides and how',
    ),
    skill(
      'need',
      '必要性',
      'Need',
      '顧客の必要性と課題を確かめているか',
      "Confirms the customer's need and problem",
    ),
    skill(
      'timeline',
      '導入時期',
      'Timeline',
      '導入・決定の時期を確かめているか',
      'Confirms when a decision and rollout are due',
    ),
  ],
};

/** Rubrics every installation has without publishing anything. */
export const builtInRubrics: readonly Rubric[] = [coreRubric, meddiccRubric, spinRubric, bantRubric];

export const defaultRubricRef: RubricRef = { id: coreRubric.id, version: coreRubric.version };

export const builtInRubric = (ref: RubricRef): Rubric | undefined =>
  builtInRubrics.find((r) => sameRubric(r, ref));

/** The team a rubric choice applies to: a manager's Slack id (as in TEAMS), or everyone without one. */
export const DEFAULT_TEAM = '*';
export const TeamKey = z.union([z.literal(DEFAULT_TEAM), SlackUserId]);
export type TeamKey = z.infer<typeof TeamKey>;

/**
 * The teams whose rubric choice applies to a rep, most specific first: the teams (TEAMS) that
 * list them, in the configuration's order, then their own team when they manage one, then
 * everyone's default (`*`).
 */
export const rubricTeamsOf = (
  userId: string,
  config: { managerUserIds: readonly string[]; teams: Readonly<Record<string, readonly string[]>> },
): string[] => {
  const managers = Object.entries(config.teams)
    .filter(([manager, reps]) => config.managerUserIds.includes(manager) && reps.includes(userId))
    .map(([manager]) => manager);
  const own = Object.hasOwn(config.teams, userId) ? [userId] : [];
  return [...new Set([...managers, ...own]), DEFAULT_TEAM];
};
