import type { Rubric } from '../../../../schemas/rubrics.ts';
import { type SkillKey, type SkillScores, skillKeys, skillLabels } from '../../../../schemas/skills.ts';
import type { ChatMessage } from '../port.ts';
import { signalsFor } from './rubric-signals.ts';
import { clamp, detectLanguage, type Language } from './text.ts';

/**
 * Transparent scoring rules for the mock's insights: each skill has four signal groups; every
 * group the rep's own words show adds one point to a base of 1 (so 1–5). Only the rep's lines
 * (role `user`) count: the coach's or the buyer's words are not the rep's skill.
 */
const signals: Record<SkillKey, readonly RegExp[]> = {
  hearing: [
    /[?？]/,
    /ヒアリング|質問|伺|聞い|聞き|SPIN|BANT|discovery|\bask(ed)?\b|question/i,
    /課題|困って|悩み|ニーズ|問題|\bpain|problem|challenge|\bneeds?\b/i,
    /何時間|何件|何人|いくら|どのくらい|[0-9０-９]+|how (many|much|long)/i,
  ],
  proposal: [
    /価値|効果|メリット|\bvalue\b|benefit|impact/i,
    /ROI|費用対効果|削減|回収|\bsav(e|ing)|payback/i,
    /提案|資料|事例|デモ|proposal|\bdeck\b|case study|\bdemo\b/i,
    /御社|貴社|お客様の|your (team|business|process)|their (team|business|process)/i,
  ],
  objection_handling: [
    /反論|懸念|高い|検討します|他社|競合|時期|不安|objection|concern|expensive|competitor|not now|think about it/i,
    /受け止|もっとも|おっしゃる通り|ごもっとも|acknowledg|fair point|i understand/i,
    /理由|なぜ|何と比べ|比較|背景|\bwhy\b|compared|reason/i,
    /価値|効果|投資|回収|\bvalue\b|\broi\b|return|worth/i,
  ],
  closing: [
    /次回|ネクスト|次のステップ|next step|follow[- ]?up meeting/i,
    /日程|期日|期限|[0-9０-９]+日|来週|今月|schedule|deadline|next week|\bdate\b/i,
    /決裁|稟議|承認|契約|発注|decision|approv|\bsign|contract|purchase order/i,
    /クロージング|合意|お申し込み|導入いただ|\bclos(e|ing)\b|commit|\bagree/i,
  ],
  relationship: [
    /ありがとう|お礼|感謝|御礼|\bthank|appreciat/i,
    /共感|お気持ち|大変|ご苦労|お疲れ|empath|understand how|must be hard/i,
    /雑談|アイスブレイク|趣味|関係|信頼|rapport|\btrust|small talk|relationship/i,
    /フォロー|連絡|情報提供|お役に立|follow[- ]?up|check in|keep in touch|helpful/i,
  ],
};

export const scoreSkills = (repText: string): SkillScores => {
  const scores = {} as SkillScores;
  for (const skill of skillKeys) {
    const hits = repText.trim() === '' ? 0 : signals[skill].filter((s) => s.test(repText)).length;
    scores[skill] = clamp(1 + hits, 1, 5);
  }
  return scores;
};

const phrases: Record<
  Language,
  Record<SkillKey, { strength: string; improvement: string; action: string }>
> = {
  ja: {
    hearing: {
      strength: '質問を通じてお客様の課題を掘り下げようとしている',
      improvement: 'お客様の課題とその大きさ（時間・金額）をまだ十分に聞き出せていない',
      action: '次の商談で示唆質問を2つ用意し、課題の影響を数字で確認する',
    },
    proposal: {
      strength: '効果や価値に結びつけて提案しようとしている',
      improvement: '提案が効果（金額・時間）に結びついていない',
      action: '提案の冒頭に、お客様の課題と削減効果を金額で1行にまとめる',
    },
    objection_handling: {
      strength: '反論を受け止め、理由を確かめようとしている',
      improvement: '反論の背景（何と比べて・なぜ今ではないのか）を確かめていない',
      action: '反論には「受け止める→理由を聞く→価値に戻す」の順で返す練習をする',
    },
    closing: {
      strength: '次のステップや決裁の流れを意識している',
      improvement: '次のステップと日付の合意がない',
      action: '商談の最後に、次回の日程と決裁の流れをその場で確認する',
    },
    relationship: {
      strength: '感謝や共感を言葉にして関係を築いている',
      improvement: 'お客様の立場への共感やお礼の言葉が少ない',
      action: '商談後24時間以内に、お礼と要約を添えたフォローを送る',
    },
  },
  en: {
    hearing: {
      strength: "asks questions to dig into the customer's problem",
      improvement: 'has not yet uncovered the problem and its size (hours, money)',
      action: 'prepare two implication questions for the next meeting and confirm the impact with numbers',
    },
    proposal: {
      strength: 'links the proposal to value and impact',
      improvement: 'the proposal is not tied to a measurable impact',
      action: "open the proposal with one line stating the customer's problem and the saving in money",
    },
    objection_handling: {
      strength: 'acknowledges objections and probes for the reason',
      improvement: 'does not explore the reason behind objections (compared with what, why not now)',
      action: 'practise answering objections with acknowledge → ask why → return to value',
    },
    closing: {
      strength: 'keeps next steps and the approval path in view',
      improvement: 'no agreed next step with a date',
      action: 'end every meeting by agreeing the next meeting date and the approval path',
    },
    relationship: {
      strength: 'expresses thanks and empathy, building trust',
      improvement: 'little empathy or thanks towards the customer',
      action: 'send a thank-you with a short summary within 24 hours of each meeting',
    },
  },
};

export type Insight = {
  scores: SkillScores;
  strengths: string[];
  improvements: string[];
  nextActions: string[];
  summary: string;
};

const ranked = (scores: SkillScores) =>
  // Stable: equal scores keep the rubric's order.
  [...skillKeys].sort((a, b) => scores[b] - scores[a] || skillKeys.indexOf(a) - skillKeys.indexOf(b));

const label = (skill: SkillKey, language: Language) => skillLabels[skill][language];

/** An insight on the rep's lines of a transcript, in the transcript's language. */
export const deriveInsight = (
  transcript: ChatMessage[],
  fallbackLanguage: Language,
  context?: { persona?: string | null | undefined },
): Insight => {
  const repText = transcript
    .filter((m) => m.role === 'user')
    .map((m) => m.content)
    .join('\n');
  const language = detectLanguage(repText, fallbackLanguage);
  const scores = scoreSkills(repText);
  const order = ranked(scores);
  const best = order.filter((s) => scores[s] >= 3).slice(0, 2);
  const worst = [...order]
    .reverse()
    .filter((s) => scores[s] <= 3)
    .slice(0, 2);
  const weak = worst.length > 0 ? worst : [order[order.length - 1]!];
  const p = phrases[language];
  const sep = language === 'ja' ? '：' : ': ';
  const strengths =
    best.length > 0
      ? best.map((s) => `${label(s, language)}${sep}${p[s].strength}`)
      : [
          language === 'ja'
            ? '商談を振り返り、改善しようとしている'
            : 'reflects on the meeting in order to improve',
        ];
  const improvements = weak.map((s) => `${label(s, language)}${sep}${p[s].improvement}`);
  const nextActions = weak.map((s) => p[s].action);
  const scoreLine = skillKeys
    .map((s) => `${label(s, language)} ${scores[s]}`)
    .join(language === 'ja' ? '・' : ', ');
  const persona = context?.persona;
  const summary =
    language === 'ja'
      ? `${persona ? `ロールプレイ（相手：${persona}）の評価。` : ''}5段階評価は${scoreLine}。${
          best.length > 0 ? `${best.map((s) => label(s, language)).join('と')}が強みです。` : ''
        }次は${weak.map((s) => label(s, language)).join('と')}を意識しましょう。`
      : `${persona ? `Roleplay with ${persona}. ` : ''}Scores (1–5): ${scoreLine}. ${
          best.length > 0 ? `Strengths: ${best.map((s) => label(s, language)).join(' and ')}. ` : ''
        }Focus next on ${weak.map((s) => label(s, language)).join(' and ')}.`;
  return { scores, strengths, improvements, nextActions, summary };
};

/** Keeps only the fields the caller's JSON schema names (when it names any), in its order. */
export const shapeForSchema = (insight: Insight, schema: Record<string, unknown> | undefined): unknown => {
  const properties = schema?.properties;
  if (!properties || typeof properties !== 'object') return insight;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(properties)) if (key in insight) out[key] = insight[key as keyof Insight];
  return out;
};

const isCore = (rubric: Pick<Rubric, 'skills'>) =>
  rubric.skills.length === skillKeys.length && rubric.skills.every((s, i) => s.key === skillKeys[i]);

/**
 * An insight on any rubric: each skill scored by its signal groups (rubric-signals.ts), the
 * strongest and weakest skills named with the rubric's own labels and descriptions. The core
 * rubric keeps its own tables and phrases (the same scores as before rubrics existed).
 */
export const deriveRubricInsight = (
  transcript: ChatMessage[],
  fallbackLanguage: Language,
  rubric: Pick<Rubric, 'skills'>,
  context?: { persona?: string | null | undefined },
): Insight => {
  if (isCore(rubric)) return deriveInsight(transcript, fallbackLanguage, context);
  const repText = transcript
    .filter((m) => m.role === 'user')
    .map((m) => m.content)
    .join('\n');
  const language = detectLanguage(repText, fallbackLanguage);
  const scores: Record<string, number> = {};
  for (const skill of rubric.skills) {
    const hits = repText.trim() === '' ? 0 : signalsFor(skill).filter((s) => s.test(repText)).length;
    scores[skill.key] = clamp(1 + hits, 1, 5);
  }
  const order = [...rubric.skills].sort(
    (a, b) => scores[b.key]! - scores[a.key]! || rubric.skills.indexOf(a) - rubric.skills.indexOf(b),
  );
  const best = order.filter((s) => scores[s.key]! >= 3).slice(0, 2);
  const worst = [...order]
    .reverse()
    .filter((s) => scores[s.key]! <= 3)
    .slice(0, 2);
  const weak = worst.length > 0 ? worst : [order[order.length - 1]!];
  const sep = language === 'ja' ? '：' : ': ';
  const strengths =
    best.length > 0
      ? best.map((s) =>
          language === 'ja'
            ? `${s.label.ja}${sep}${s.description.ja}（発言に表れている）`
            : `${s.label.en}${sep}shows it (${s.description.en.toLowerCase()})`,
        )
      : [
          language === 'ja'
            ? '商談を振り返り、改善しようとしている'
            : 'reflects on the meeting in order to improve',
        ];
  const improvements = weak.map((s) =>
    language === 'ja'
      ? `${s.label.ja}${sep}まだ十分に見られない（${s.description.ja}）`
      : `${s.label.en}${sep}not yet visible (${s.description.en.toLowerCase()})`,
  );
  const nextActions = weak.map((s) =>
    language === 'ja'
      ? `次の商談で「${s.label.ja}」を意識する：${s.description.ja}`
      : `In the next meeting, work on "${s.label.en}": ${s.description.en.toLowerCase()}`,
  );
  const scoreLine = rubric.skills
    .map((s) => `${s.label[language]} ${scores[s.key]}`)
    .join(language === 'ja' ? '・' : ', ');
  const persona = context?.persona;
  const names = (list: typeof weak) =>
    list.map((s) => s.label[language]).join(language === 'ja' ? 'と' : ' and ');
  const summary =
    language === 'ja'
      ? `${persona ? `ロールプレイ（相手：${persona}）の評価。` : ''}5段階評価は${scoreLine}。${
          best.length > 0 ? `${names(best)}が強みです。` : ''
        }次は${names(weak)}を意識しましょう。`
      : `${persona ? `Roleplay with ${persona}. ` : ''}Scores (1–5): ${scoreLine}. ${
          best.length > 0 ? `Strengths: ${names(best)}. ` : ''
        }Focus next on ${names(weak)}.`;
  return { scores: scores as SkillScores, strengths, improvements, nextActions, summary };
};
