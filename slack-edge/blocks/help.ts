import type { KnownBlock } from './block-types.ts';

const japanese = [
  '*AI営業コーチの使い方*',
  '• *DM で相談*：商談の悩みをそのまま送ってください。ナレッジベースを根拠にアドバイスします。',
  '• *チャンネルでメンション*：私をメンションすると、そのスレッドで答えます。続きはメンションなしで大丈夫です。',
  '• *ロールプレイ*：「ロールプレイ: 価格に厳しい購買担当」と送ると、私が買い手役になります。「終了」でスコアカードをお渡しします。',
  '• `/ai_knowledge キーワード`：ナレッジベースを検索します。',
  '• `/ai_history`：スキルの成長履歴（推移・強み・改善点・週ごとのセッション数）を表示します。マネージャーは `/ai_history @メンバー` でチームのメンバーの履歴も見られます。',
  '• *ホームタブ*：スキルプロフィールと次のおすすめ練習。',
  '回答の下の 👍／👎 でフィードバック、「セッション終了」で会話を区切れます。',
].join('\n');

const english = [
  '*How to use the AI sales coach*',
  '• *Ask in a DM*: describe the deal or the problem; the advice is grounded in the sales knowledge base.',
  '• *Mention me in a channel*: I answer in the thread, and follow-ups there need no new mention.',
  '• *Roleplay*: send "roleplay: a price-sensitive buyer" and I play the buyer; send "end" for your scorecard.',
  '• `/ai_knowledge keywords`: search the knowledge base.',
  '• `/ai_history`: your skill growth (trend, strengths, improvements, sessions per week); managers can add `@rep` for a member of their team.',
  '• *Home tab*: your skill profile and the suggested next practice.',
  'Rate answers with 👍 / 👎 under them; "End session" closes the conversation.',
].join('\n');

/** `/ai_help`: usage in Japanese and English, always both (the command carries no language). */
export const helpBlocks = (): { text: string; blocks: KnownBlock[] } => ({
  text: 'AI営業コーチの使い方 / How to use the AI sales coach',
  blocks: [
    { type: 'section', text: { type: 'mrkdwn', text: japanese } },
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: english } },
  ],
});
