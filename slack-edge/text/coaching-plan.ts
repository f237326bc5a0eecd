import type { TargetStatus } from '../../projections/targets/progress.ts';
import type { SkillKey } from '../../schemas/skills.ts';
import type { Language } from '../../write/agent/language.ts';

/** Practice suggested for a rep's weakest skill: a roleplay prompt they can paste into a DM. */
const exercises: Record<Language, Record<SkillKey, string>> = {
  ja: {
    hearing:
      'ロールプレイ：「予算も時期も決まっていない」という製造業の情報システム部長に、SPIN の質問を 5 つ続けて課題を引き出してください。',
    proposal:
      'ロールプレイ：ヒアリングで「月末の集計に 3 日かかる」と聞いた経理部長に、その課題に結びつけて 2 分で提案してください。',
    objection_handling:
      'ロールプレイ：「他社の方が 2 割安い」と言う購買担当に、価格ではなく価値で切り返してください。',
    closing:
      'ロールプレイ：前向きだが「社内で検討します」と言う部長から、次回の日程と決裁者の同席を取り付けてください。',
    relationship:
      'ロールプレイ：初回訪問の冒頭 3 分で、相手の業界の最近のニュースを使って信頼関係を作ってください。',
  },
  en: {
    hearing:
      'Roleplay: an IT director at a manufacturer says there is no budget or timeline yet. Ask five SPIN questions in a row to surface the problem.',
    proposal:
      'Roleplay: a finance director told you month-end close takes three days. Pitch in two minutes, tied to that pain.',
    objection_handling: 'Roleplay: a buyer says a competitor is 20% cheaper. Answer with value, not price.',
    closing:
      'Roleplay: a positive director says "we will discuss internally". Secure the next meeting and the decision maker joining it.',
    relationship:
      "Roleplay: in the first three minutes of a first visit, build rapport using recent news of the customer's industry.",
  },
};

const statusText: Record<Language, Record<TargetStatus, string>> = {
  ja: { achieved: '達成', on_track: '順調', at_risk: '要注意', overdue: '期限切れ', no_data: 'データなし' },
  en: {
    achieved: 'achieved',
    on_track: 'on track',
    at_risk: 'at risk',
    overdue: 'overdue',
    no_data: 'no data',
  },
};

const statusIcon: Record<TargetStatus, string> = {
  achieved: '🏆',
  on_track: '🟢',
  at_risk: '🟠',
  overdue: '🔴',
  no_data: '⚪',
};

export const coachingPlanText = {
  ja: {
    exercise: (skill: SkillKey) => exercises.ja[skill],
    status: (s: TargetStatus) => `${statusIcon[s]} ${statusText.ja[s]}`,
    targetsTitle: '🎯 目標',
    noTargets: 'まだ目標はありません。',
    targetLine: (skill: string, current: string, level: number, gap: string, days: number, status: string) =>
      `*${skill}*：現在 ${current} → 目標 ${level.toFixed(1)}（あと ${gap}、${days >= 0 ? `残り ${days} 日` : `${-days} 日超過`}）${status}`,
    teamGrowthTitle: '📈 チームの成長（直近セッションの伸び順）',
    teamEmpty: 'チームのメンバーがまだいません（TEAMS を設定してください）。',
    growthLine: (rank: number, name: string, slope: string, sessions: number, latest: string) =>
      `${rank}. *${name}*：伸び ${slope} / セッション（直近 ${sessions} 回、最新 ${latest}）`,
    tooFewSessions: 'セッション不足',
    setTarget: '目標を設定',
    setTargetTitle: '目標を設定',
    rep: 'メンバー',
    skill: 'スキル',
    level: '目標レベル（1〜5、小数 1 桁まで）',
    dueDate: '期限',
    save: '保存',
    cancel: 'キャンセル',
    targetSaved: (user: string, skill: string, level: number, due: string) =>
      `<@${user}> さんの「${skill}」の目標を ${level.toFixed(1)}（${due} まで）に設定しました。`,
    notYourTeam: 'このメンバーの目標を設定できるのは、そのチームのマネージャーだけです。',
    digestOn: '週次ダイジェスト：オン',
    digestOff: '週次ダイジェスト：オフ',
    turnDigestOff: 'ダイジェストを停止',
    turnDigestOn: 'ダイジェストを再開',
    digestTurnedOff: '週次ダイジェストを停止しました。「digest on」でいつでも再開できます。',
    digestTurnedOn: '週次ダイジェストを再開しました。毎週お届けします。',
    digestTitle: (week: string) => `📬 今週のふりかえり（${week}）`,
    digestSessions: (n: number) => `先週のセッション：*${n} 回*`,
    digestNoSessions: '先週はセッションがありませんでした。今週は 1 回から始めましょう。',
    digestDelta: 'スキルの変化（先週 vs それ以前）',
    digestNext: (skill: string) => `*次の練習：${skill}*`,
    digestFooter: '配信の停止は App Home のボタンか、DM で「digest off」と送ってください。',
  },
  en: {
    exercise: (skill: SkillKey) => exercises.en[skill],
    status: (s: TargetStatus) => `${statusIcon[s]} ${statusText.en[s]}`,
    targetsTitle: '🎯 Targets',
    noTargets: 'No targets yet.',
    targetLine: (skill: string, current: string, level: number, gap: string, days: number, status: string) =>
      `*${skill}*: now ${current} → target ${level.toFixed(1)} (gap ${gap}, ${days >= 0 ? `${days} days left` : `${-days} days overdue`}) ${status}`,
    teamGrowthTitle: '📈 Team growth (steepest recent growth first)',
    teamEmpty: 'No team members yet (set TEAMS).',
    growthLine: (rank: number, name: string, slope: string, sessions: number, latest: string) =>
      `${rank}. *${name}*: ${slope} per session (last ${sessions} sessions, latest ${latest})`,
    tooFewSessions: 'too few sessions',
    setTarget: 'Set target',
    setTargetTitle: 'Set a target',
    rep: 'Rep',
    skill: 'Skill',
    level: 'Target level (1–5, one decimal)',
    dueDate: 'Due date',
    save: 'Save',
    cancel: 'Cancel',
    targetSaved: (user: string, skill: string, level: number, due: string) =>
      `Set <@${user}>'s ${skill} target to ${level.toFixed(1)} by ${due}.`,
    notYourTeam: "Only the rep's manager can set their targets.",
    digestOn: 'Weekly digest: on',
    digestOff: 'Weekly digest: off',
    turnDigestOff: 'Stop the digest',
    turnDigestOn: 'Resume the digest',
    digestTurnedOff: 'The weekly digest is off. Send "digest on" any time to resume it.',
    digestTurnedOn: 'The weekly digest is on again: you get it every week.',
    digestTitle: (week: string) => `📬 Your week in review (${week})`,
    digestSessions: (n: number) => `Sessions last week: *${n}*`,
    digestNoSessions: 'No sessions last week. Start this week with one.',
    digestDelta: 'Skill change (last week vs before)',
    digestNext: (skill: string) => `*Next practice: ${skill}*`,
    digestFooter: 'To stop these, use the button in App Home or send "digest off" in a DM.',
  },
} satisfies Record<Language, unknown>;

export const signed = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(2)}`;
