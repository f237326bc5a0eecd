/**
 * The sales situations the mock coach recognises, by keyword tables. Each pattern has a weight:
 * explicit method names (BANT, SPIN, 提案書…) outweigh words that occur in many situations (予算).
 * Ties go to the situation listed first, so the more specific ones come first.
 */

export const situationKeys = [
  'negotiation',
  'price',
  'competitor',
  'authority',
  'timing',
  'status_quo',
  'followup_email',
  'closing',
  'proposal',
  'demo',
  'discovery',
  'account_planning',
  'cold_outreach',
  'greeting',
] as const;

export type SituationKey = (typeof situationKeys)[number] | 'general';

type Pattern = readonly [RegExp, number];

const patterns: Record<(typeof situationKeys)[number], readonly Pattern[]> = {
  negotiation: [
    [/値引き|値下げ|ディスカウント|割引/, 2],
    [/交渉|譲歩|BATNA/i, 2],
    [/\bdiscount|negotiat|\bBATNA\b|concession|lower (the|our) price/i, 2],
  ],
  price: [
    [/高い|高すぎ|割高/, 2],
    [/値段|価格|費用|コスト|金額|予算/, 1],
    [/too expensive|\bexpensive\b|\bpric(e|ing)\b|\bbudget\b|\bcosts? too much\b/i, 2],
  ],
  competitor: [
    [/他社|競合|既存ベンダー|乗り換え|相見積/, 2],
    [
      /competitor|competition|another vendor|other vendor|already (use|using|have) (a|an|another)|\brival\b/i,
      2,
    ],
  ],
  authority: [
    [/上に確認|上と相談|上司に|決裁|稟議|部長に|承認が|社内で相談/, 2],
    [
      /decision[- ]maker|my boss|their boss|\bapproval\b|sign[- ]off|check with (his|her|their|my) (boss|manager)|run it by/i,
      2,
    ],
  ],
  timing: [
    [/検討します|検討したい|時期じゃない|時期ではない|先送り|様子見|保留|見送|来期/, 2],
    [
      /think about it|not the right time|\bnot now\b|next (quarter|year)|postpone|\btiming\b|get back to (me|us)/i,
      2,
    ],
  ],
  status_quo: [
    [/今のままで|困っていない|現状で十分|間に合っている|必要ない|変える必要/, 2],
    [
      /status quo|happy with (what|our|their)|no need|works fine|fine as (it )?is|don'?t need|not a priority/i,
      2,
    ],
  ],
  followup_email: [
    [/メール|フォロー|お礼状|返信がない|連絡がない|音沙汰/, 2],
    [/\be-?mail|follow[- ]?up|no reply|ghost(ed|ing)|haven'?t heard|thank[- ]you note/i, 2],
  ],
  closing: [
    [/クロージング|契約|受注|背中を押|申し込み|成約/, 2],
    [/\bclos(e|ing)\b|sign the contract|\bcommit(ment)?\b|ask for the (order|business)/i, 2],
  ],
  proposal: [
    [/提案書|提案資料|プレゼン|費用対効果|ROI/i, 2],
    [/提案/, 1],
    [/\bproposal\b|\bdeck\b|\bROI\b|business case|presentation/i, 2],
  ],
  demo: [
    [/デモ|実演|トライアル|試用|PoC/i, 2],
    [/\bdemo\b|\btrial\b|walkthrough|proof of concept/i, 2],
  ],
  discovery: [
    [/ヒアリング|SPIN|BANT|初回商談/i, 2],
    [/質問|課題|ニーズ|聞き出/, 1],
    [/discovery|qualif(y|ication)|questions to ask|what (should|do) i ask|\bneeds\b/i, 2],
  ],
  account_planning: [
    [/アカウントプラン|関係者マップ|キーマン|組織図|アップセル|更新|チャンピオン/, 2],
    [/account plan|stakeholder|org chart|upsell|renewal|champion/i, 2],
  ],
  cold_outreach: [
    [/新規開拓|テレアポ|アポ取り|飛び込み|初回アプローチ/, 2],
    [/cold (call|email|outreach)|prospecting|outreach|get a (first )?meeting/i, 2],
  ],
  greeting: [
    [/こんにちは|はじめまして|初めまして|使い方|ヘルプ|何ができ|よろしく/, 1],
    [/^(hi|hello|hey)\b|\bhelp\b|what can you do|how do i use/i, 1],
  ],
};

export const detectSituation = (text: string): SituationKey => {
  let best: SituationKey = 'general';
  let bestScore = 0;
  for (const key of situationKeys) {
    const score = patterns[key].reduce(
      (sum, [pattern, weight]) => sum + (pattern.test(text) ? weight : 0),
      0,
    );
    if (score > bestScore) {
      best = key;
      bestScore = score;
    }
  }
  return best;
};
