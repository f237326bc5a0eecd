import type { Language } from '../../write/agent/language.ts';

/** Slack words of manager reviews (Japanese first, English too). */
const ja = {
  reviewButton: 'レビュー',
  reviewModalTitle: 'セッションのレビュー',
  reviewModalSubmit: '送信',
  reviewModalCancel: 'キャンセル',
  reviewModalLead: (rep: string, started: string) =>
    `<@${rep}> さんのセッション（${started}）。上書きするスキルだけ点数を選んでください（選ばないスキルは AI の点数のまま）。`,
  reviewKeep: 'AI のまま',
  reviewComment: 'コメント（担当者に届きます）',
  reviewNeedsScore: '少なくとも 1 つのスキルに点数を付けてください。',
  reviewNotAllowed: 'この担当者のセッションはレビューできません（チームのマネージャーのみ）。',
  reviewDm: (manager: string, started: string) =>
    `<@${manager}> さんがあなたのセッション（${started}）をレビューしました。`,
  reviewDmScores: 'マネージャーのスコア',
  reviewDmComment: 'コメント',
  reviewDmHome: 'アプリのホームタブでいつでも見返せます。',
  homeReviews: '*マネージャーのレビュー*',
  homeNoReviews: 'まだレビューはありません。',
  homeTeamSessions: '*チームの最近のセッション*（レビューできます）',
  homeNoTeamSessions: 'チームのセッションはまだありません。',
  teamSessionLine: (rep: string, started: string, messages: number) =>
    `<@${rep}>　${started}　${messages} 件のメッセージ`,
};

const en: typeof ja = {
  reviewButton: 'Review',
  reviewModalTitle: 'Review a session',
  reviewModalSubmit: 'Send',
  reviewModalCancel: 'Cancel',
  reviewModalLead: (rep, started) =>
    `<@${rep}>’s session (${started}). Score only the skills you override (the others keep the AI’s score).`,
  reviewKeep: 'Keep the AI’s',
  reviewComment: 'Comment (sent to the rep)',
  reviewNeedsScore: 'Score at least one skill.',
  reviewNotAllowed: 'You cannot review this rep’s sessions (their team’s manager only).',
  reviewDm: (manager, started) => `<@${manager}> reviewed your session (${started}).`,
  reviewDmScores: 'Manager’s scores',
  reviewDmComment: 'Comment',
  reviewDmHome: 'You can look at it again in the app’s Home tab.',
  homeReviews: '*Manager reviews*',
  homeNoReviews: 'No reviews yet.',
  homeTeamSessions: '*Your team’s recent sessions* (to review)',
  homeNoTeamSessions: 'No team sessions yet.',
  teamSessionLine: (rep, started, messages) => `<@${rep}>   ${started}   ${messages} messages`,
};

export const reviewTexts = (language: Language) => (language === 'en' ? en : ja);
