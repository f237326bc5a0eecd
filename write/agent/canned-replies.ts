import type { Language } from './language.ts';

/**
 * The fixed texts the agent records when the model cannot answer. They are recorded as the
 * assistant's reply, so the rep is never left without an answer and the failure is visible in
 * the conversation's history.
 */
export const apologies: Record<Language, string> = {
  ja: '申し訳ありません。ただいま回答を作成できませんでした。少し時間をおいて、もう一度送ってください。',
  en: "Sorry, I couldn't put an answer together just now. Please send your message again in a moment.",
};

export const scoringFailed: Record<Language, string> = {
  ja: 'ロールプレイを終了しました。申し訳ありません、今回は採点を完了できませんでした。もう一度ロールプレイをするときは「ロールプレイ: 相手の人物像」と送ってください。',
  en: 'The roleplay has ended. Sorry, I could not score it this time. To practise again, send "roleplay: <the buyer you want>".',
};

export const nothingToScore: Record<Language, string> = {
  ja: 'ロールプレイを終了しました。採点できる発言がなかったため、スコアカードはありません。',
  en: 'The roleplay has ended. There was nothing to score yet, so there is no scorecard this time.',
};

/** A roleplay ended in a channel: the scores are the rep's own, shown where only they look. */
export const scorecardKeptPrivate: Record<Language, string> = {
  ja: 'ロールプレイお疲れさまでした。スコアカードはあなただけのものなので、ここには載せません。App Home か `/ai_history`（あなたにだけ表示されます）でご覧ください。',
  en: 'Well done on the roleplay. Your scorecard is yours alone, so it is not posted here: see it in App Home or with `/ai_history` (only you see those).',
};
/** The note recorded instead of an answer when a rep sent more than the per-minute limit. */
export const overLimitNote = (limit: number): Record<Language, string> => ({
  ja: `短い時間にたくさんのメッセージをいただいたため、このメッセージにはお答えしていません（1分あたり${limit}件まで）。少し時間をおいてから、もう一度送ってください。`,
  en: `You have sent many messages in a short time, so this one was not answered (up to ${limit} a minute). Please wait a moment and send it again.`,
});

const cannedTexts = new Set([...Object.values(apologies), ...Object.values(scoringFailed)]);

/** Whether a recorded reply is one of the failure texts (no insight is derived from those). */
export const isCannedFailure = (text: string): boolean => cannedTexts.has(text);
