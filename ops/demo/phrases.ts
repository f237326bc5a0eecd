import type { SkillKey } from '../../schemas/skills.ts';

type Both = { ja: string; en: string };

/** What an insight says about a skill that went well, and about one that needs work. */
export const strengthOf: Record<SkillKey, Both> = {
  hearing: { ja: '顧客の課題を具体的な数字で引き出せた', en: 'Drew out the problem with concrete numbers' },
  proposal: { ja: '課題と解決策を結びつけて説明できた', en: 'Tied the solution to the problem clearly' },
  objection_handling: {
    ja: '反論をまず受け止めてから確認できた',
    en: 'Acknowledged the objection before answering',
  },
  closing: { ja: '次のステップを日付つきで合意できた', en: 'Agreed a dated next step' },
  relationship: {
    ja: '相手の立場に配慮した言葉選びができた',
    en: "Chose words that respected the customer's position",
  },
};

export const improvementOf: Record<SkillKey, Both> = {
  hearing: { ja: '示唆質問で課題の影響まで掘り下げる', en: 'Use implication questions to get at the impact' },
  proposal: { ja: '効果を金額や時間で示す', en: 'Show the impact in money or hours' },
  objection_handling: {
    ja: '反論の背景（比較対象）を確認してから答える',
    en: 'Find out what the objection compares with before answering',
  },
  closing: { ja: '商談の最後に次回の日程を決める', en: 'Book the next meeting before the call ends' },
  relationship: { ja: '約束した資料を期日どおりに届ける', en: 'Deliver promised materials on time' },
};

export const downComments: readonly Both[] = [
  { ja: 'もう少し具体例がほしかった', en: 'Would have liked a concrete example' },
  { ja: '自社の商材に合わない部分があった', en: 'Part of it did not fit our product' },
];

type Script = readonly (readonly [rep: string, buyer: string])[];

/** Roleplays: a buyer persona and the conversation with it (the rep's line, the buyer's answer). */
export const roleplays: readonly { persona: Both; script: { ja: Script; en: Script } }[] = [
  {
    persona: { ja: '価格に厳しい購買担当', en: 'a cost-focused procurement manager' },
    script: {
      ja: [
        [
          '本日はお時間をいただきありがとうございます。まず現在の見積もり業務について伺えますか。',
          '月末は見積もり作成で残業が続いています。ただ、新しいツールにお金をかける余裕はありません。',
        ],
        [
          '残業はどのくらいの時間になっていますか？',
          '部署全体で月 40 時間ほどでしょうか。それでも導入費用の方が高いと思いますよ。',
        ],
        [
          '40 時間を人件費に換算すると年間で約 200 万円です。初年度は 1 部門に絞る形でいかがでしょう。',
          'その条件なら、上に相談してみてもいいですね。資料をいただけますか。',
        ],
      ],
      en: [
        [
          'Thank you for your time today. Could you tell me how you handle quotes now?',
          'Month-end quoting means overtime, but we have no budget for new tools.',
        ],
        [
          'How much overtime is that?',
          'About 40 hours a month for the team. The tool still costs more, I think.',
        ],
        [
          'Forty hours is roughly $15,000 a year. Could we start with one team in year one?',
          'On those terms I could take it to my manager. Can you send me the material?',
        ],
      ],
    },
  },
  {
    persona: { ja: '慎重な情報システム部長', en: 'a cautious head of IT' },
    script: {
      ja: [
        [
          '本日はセキュリティ面のご懸念を伺えればと思います。どのような点がご心配でしょうか。',
          'クラウドにデータを置くこと自体、社内規程で慎重に扱っています。',
        ],
        [
          '規程では、どのような条件を満たせば利用できますか？',
          'ISMS 認証と、データの保存先が国内であることが最低条件です。',
        ],
        [
          'どちらも満たしております。審査用のチェックシートをお送りしてもよろしいですか。',
          'それなら検討の土台に乗せられます。送ってください。',
        ],
      ],
      en: [
        [
          'I would like to hear your security concerns today. What worries you most?',
          'Putting our data in the cloud at all is something our policy treats with caution.',
        ],
        [
          'What would a service need to meet your policy?',
          'ISO 27001 certification and data stored in Japan, at the very least.',
        ],
        [
          'We meet both. May I send you our security checklist for your review?',
          'Then IT can consider it properly. Please send it.',
        ],
      ],
    },
  },
];

export const scorecardText = (language: 'ja' | 'en', persona: string, strong: string, weak: string) =>
  language === 'ja'
    ? `*ロールプレイ終了：スコアカード*（相手：${persona}）\n良かった点：${strong}\n次に伸ばす点：${weak}`
    : `*Roleplay finished: scorecard* (buyer: ${persona})\nWent well: ${strong}\nTo work on: ${weak}`;
