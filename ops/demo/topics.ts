import type { SkillKey } from '../../schemas/skills.ts';

type Lines = {
  questions: readonly string[];
  followUp: string;
  reply: string;
  followUpReply: string;
  summary: string;
};

/**
 * What reps ask the coach about in the demo: a question, the coach's answer (with `[n]`
 * markers for the documents it cites), a follow-up, and the insight's summary. The documents
 * are from knowledge/ (their titles are looked up when the demo runs).
 */
export type DemoTopic = {
  id: string;
  skill: SkillKey;
  documents: readonly string[];
  nextAction: { ja: string; en: string };
  ja: Lines;
  en: Lines;
};

export const demoTopics: readonly DemoTopic[] = [
  {
    id: 'price',
    skill: 'objection_handling',
    documents: ['objection-price', 'roi-presentation'],
    nextAction: {
      ja: '次回までに ROI 試算を 1 枚にまとめる',
      en: 'Put the ROI estimate on one page before the next call',
    },
    ja: {
      questions: [
        'お客様に「高い」と言われてしまいました。どう返せばいいですか？',
        '見積もりを出したら「予算オーバーです」と言われました。値引きするしかないでしょうか。',
      ],
      followUp: '比較対象が他社の見積もりだった場合はどう進めればいいですか？',
      reply:
        'すぐに値引きを口にせず、まず「何と比べて高いと感じられたか」を確かめましょう [1]。予算の上限なのか、価値が伝わっていないのかで打ち手が変わります。ヒアリングで伺った課題の損失額（例：月40時間の手作業）を人件費に換算し、費用と並べて示すと判断しやすくなります [2]。',
      followUpReply:
        '他社見積もりとの比較なら、価格表ではなく「同じ条件か」を並べて確認します。導入支援や運用工数まで含めた総額で比べると、差が縮まることが多いです [1]。',
      summary: '価格反論への対応を練習',
    },
    en: {
      questions: [
        'The customer said our price is too high. How should I respond?',
        'They told me the quote is over budget. Do I have to discount?',
      ],
      followUp: 'What if they are comparing us with a competitor quote?',
      reply:
        'Do not offer a discount straight away: first ask what they are comparing the price with [1]. A hard budget limit and unclear value need different answers. Turn the cost of the problem you heard in discovery into money and put it next to the price [2].',
      followUpReply:
        'Compare like with like: onboarding, support and running effort included. The total cost of ownership often closes most of the gap [1].',
      summary: 'Practised handling a price objection',
    },
  },
  {
    id: 'discovery',
    skill: 'hearing',
    documents: ['spin-questions', 'discovery-call-checklist'],
    nextAction: {
      ja: '次の商談で示唆質問を 2 つ用意する',
      en: 'Prepare two implication questions for the next call',
    },
    ja: {
      questions: [
        '初回ヒアリングで何を聞けばいいか、いつも迷ってしまいます。',
        'ヒアリングが表面的な質問で終わってしまいます。深掘りのコツはありますか？',
      ],
      followUp: '示唆質問がしつこく聞こえないようにするには？',
      reply:
        'SPIN の順で組み立てると深まります [1]。状況質問は事前調査で減らし、問題質問で困りごとを、示唆質問でその影響（時間・コスト・リスク）を、解決質問で「解決したら何が変わるか」を語ってもらいましょう。聞き漏れは事前にチェックリストで確認しておくと安心です [2]。',
      followUpReply:
        '「差し支えなければ」と前置きし、相手の言葉を要約してから一つだけ聞くと自然です。数字で答えやすい聞き方（「月に何時間ほど？」）にすると負担も減ります [1]。',
      summary: 'ヒアリングの深掘り（SPIN）を練習',
    },
    en: {
      questions: [
        'I never know what to ask in a first discovery call.',
        'My discovery questions stay on the surface. How do I go deeper?',
      ],
      followUp: 'How do I ask implication questions without sounding pushy?',
      reply:
        'Build the call in SPIN order [1]: cut situation questions with research, use problem questions to find the pain, implication questions for its cost, and need-payoff questions so they say what would change. A checklist keeps you from missing the basics [2].',
      followUpReply:
        'Summarise what they said in their words, then ask one question. Questions they can answer with a number ("about how many hours a month?") feel lighter [1].',
      summary: 'Practised deeper discovery (SPIN)',
    },
  },
  {
    id: 'proposal',
    skill: 'proposal',
    documents: ['proposal-structure', 'roi-presentation'],
    nextAction: {
      ja: '提案書の 1 枚目を「課題の要約」に差し替える',
      en: 'Make slide 1 of the proposal a summary of their problem',
    },
    ja: {
      questions: [
        '提案書の構成に自信がありません。どんな順番がいいですか？',
        '提案が機能説明ばかりになってしまいます。',
      ],
      followUp: '費用のページはどこに置くのがいいですか？',
      reply:
        '課題→解決策→効果→費用→導入計画の順が基本です [1]。1 枚目はお客様の言葉で課題を要約し、機能は課題ごとに必要なものだけに絞りましょう。効果は金額か時間で示すと稟議資料にそのまま使ってもらえます [2]。',
      followUpReply: '効果を示した直後です。効果と費用が隣にあると、費用対効果として判断してもらえます [1]。',
      summary: '提案書の構成を見直し',
    },
    en: {
      questions: [
        'I am not confident about how to structure a proposal.',
        'My proposals turn into feature tours.',
      ],
      followUp: 'Where should the pricing page go?',
      reply:
        'Problem, solution, impact, cost, rollout plan [1]. Open with their problem in their words and show only the features that solve it. Put impact in money or hours so they can reuse it for internal approval [2].',
      followUpReply: 'Right after the impact page, so they read cost against value [1].',
      summary: 'Reworked the proposal structure',
    },
  },
  {
    id: 'closing',
    skill: 'closing',
    documents: ['closing-techniques', 'followup-email-after-proposal'],
    nextAction: {
      ja: '商談の最後に次回日程をその場で決める',
      en: 'Agree the next meeting date before the call ends',
    },
    ja: {
      questions: [
        '商談の最後にいつも「検討します」で終わってしまいます。',
        '提案後に次のステップへ進める言い方が分かりません。',
      ],
      followUp: '決裁者が同席していない場合はどうしますか？',
      reply:
        '「検討します」で終わらせず、次のステップを具体的に合意しましょう [1]。「来週どなたとどの資料でご検討されますか」と聞き、その場で次回の日程を押さえます。提案後は当日中に要点と次のアクションをメールで送ると流れが止まりません [2]。',
      followUpReply:
        '決裁者に説明する場を一緒に設計します。「部長様にご説明いただく際の資料をご用意しましょうか」と申し出て、同席の機会をつくりましょう [1]。',
      summary: 'ネクストステップの合意を練習',
    },
    en: {
      questions: [
        'My calls keep ending with "we will think about it".',
        'How do I move to the next step after a proposal?',
      ],
      followUp: 'What if the decision maker was not in the meeting?',
      reply:
        'Do not end on "we will think about it": agree a concrete next step [1]. Ask who will review it and with what, and book the next meeting there and then. Send the summary and next actions the same day [2].',
      followUpReply:
        'Offer to prepare the material they will use to brief the decision maker, and ask to join [1].',
      summary: 'Practised agreeing next steps',
    },
  },
  {
    id: 'ringi',
    skill: 'closing',
    documents: ['bant-japan-ringi', 'ringi-procurement'],
    nextAction: { ja: '稟議の流れと決裁者を図にして確認する', en: 'Map the approval flow and who signs off' },
    ja: {
      questions: [
        '稟議に時間がかかっていて、いつ決まるのか読めません。',
        '購買部から相見積もりを求められました。どう対応すべきでしょう。',
      ],
      followUp: '稟議書の作成を手伝ってもいいものでしょうか？',
      reply:
        '決裁フローを早めに確認しましょう [1]。誰が起案し、誰の承認が必要で、締めはいつかを聞くと、クロージングの時期が読めます。相見積もりや取引先登録は購買部の通常の手続きなので、必要書類を先回りして用意すると信頼につながります [2]。',
      followUpReply:
        'むしろ喜ばれます。効果と費用、導入計画を稟議書の項目に合わせた形でお渡しすると、担当者様の負担が減ります [1]。',
      summary: '稟議プロセスの把握を練習',
    },
    en: {
      questions: [
        'The approval (ringi) is taking forever and I cannot forecast it.',
        'Procurement asked for competing quotes.',
      ],
      followUp: 'Is it fine to help them write the approval document?',
      reply:
        'Map the approval flow early [1]: who drafts, who approves, and the cut-off dates. Competing quotes and vendor registration are routine for procurement; having the documents ready builds trust [2].',
      followUpReply: 'Usually welcome: give them impact, cost and plan in the shape of their form [1].',
      summary: 'Practised mapping the approval process',
    },
  },
  {
    id: 'competitor',
    skill: 'objection_handling',
    documents: ['objection-competitor', 'objection-handling-basics'],
    nextAction: {
      ja: '競合との違いを 3 点、顧客の課題の言葉で整理する',
      en: 'Write three differences in the words of their problem',
    },
    ja: {
      questions: [
        '「既存ベンダーがいるので」と断られました。',
        '「他社の方が安い」と言われたときの切り返しを教えてください。',
      ],
      followUp: '競合を悪く言わずに違いを伝えるには？',
      reply:
        'まず受け止めてから、今のベンダーに満足している点と物足りない点を伺いましょう [1]。反論処理は「受け止める→確認する→答える→確かめる」の順が基本です [2]。違いは機能ではなく、お客様の課題に対して何が変わるかで伝えます。',
      followUpReply:
        '比較表ではなく、お客様の課題ごとに「どう解決するか」を示します。判断はお客様に委ねる姿勢が信頼を生みます [1]。',
      summary: '競合反論への対応を練習',
    },
    en: {
      questions: ['They said they already have a vendor.', 'How do I answer "the other vendor is cheaper"?'],
      followUp: 'How do I show the difference without bad-mouthing the competitor?',
      reply:
        'Acknowledge it, then ask what they like and miss about the current vendor [1]. Acknowledge, clarify, answer, confirm [2]. Show the difference in terms of their problem, not features.',
      followUpReply: 'Show how each of their problems gets solved, and leave the judgement to them [1].',
      summary: 'Practised a competitor objection',
    },
  },
  {
    id: 'timing',
    skill: 'objection_handling',
    documents: ['objection-timing', 'objection-status-quo'],
    nextAction: {
      ja: '「今のままの場合のコスト」を数字で示す準備をする',
      en: 'Prepare the cost of doing nothing, in numbers',
    },
    ja: {
      questions: [
        '「今は時期じゃない」と言われて止まっています。',
        '「今のままで困っていない」と言われました。',
      ],
      followUp: '半年後にまた連絡してほしいと言われた場合は？',
      reply:
        '時期の反論には、何が整えば検討できるかを伺いましょう [1]。「今のままで困っていない」には、現状を続けた場合のコストや機会損失を一緒に計算すると、変える理由が見えてきます [2]。',
      followUpReply:
        'その間に役立つ情報を送ってよいか確認し、半年後の具体的な日付を決めておきます。状況の変化をきっかけに再提案できます [1]。',
      summary: '時期・現状維持の反論への対応',
    },
    en: {
      questions: ['They said "not now" and the deal stalled.', 'They told me they are fine as they are.'],
      followUp: 'They asked me to call back in six months. What now?',
      reply:
        'Ask what would need to be true for them to look at it [1]. For "we are fine", work out the cost of staying as they are together with them [2].',
      followUpReply: 'Agree a date, and ask whether you may send something useful meanwhile [1].',
      summary: 'Handled timing and status-quo objections',
    },
  },
  {
    id: 'icebreak',
    skill: 'relationship',
    documents: ['first-meeting-icebreak', 'relationship-building'],
    nextAction: {
      ja: '訪問前に相手企業の最近のニュースを 1 つ調べる',
      en: 'Read one recent news item about the customer before visiting',
    },
    ja: {
      questions: ['初回訪問のアイスブレイクが苦手です。', 'お客様との距離がなかなか縮まりません。'],
      followUp: 'オンライン商談でも同じやり方で大丈夫ですか？',
      reply:
        '事前に相手企業のニュースや採用情報を調べ、そこから一言触れると自然に会話が始まります [1]。関係構築は約束を守る小さな積み重ねです。議事録や資料を約束どおりに届けることが信頼の土台になります [2]。',
      followUpReply:
        'オンラインでは最初の 1 分で画面越しの雰囲気をほぐし、アジェンダを共有してから本題に入るとスムーズです [1]。',
      summary: '関係構築とアイスブレイク',
    },
    en: {
      questions: [
        'I struggle with small talk at first meetings.',
        'I cannot seem to get closer to my customers.',
      ],
      followUp: 'Does the same work for online meetings?',
      reply:
        'Look up a recent news item or job posting and open with it [1]. Trust is built from small promises kept: minutes and materials delivered when you said [2].',
      followUpReply: 'Online, warm up for a minute and share the agenda before getting to business [1].',
      summary: 'Worked on rapport and first meetings',
    },
  },
  {
    id: 'champion',
    skill: 'relationship',
    documents: ['champion-leaving', 'account-planning'],
    nextAction: {
      ja: '関係者マップを更新し、新しい担当者と面談を設定する',
      en: 'Update the stakeholder map and meet the new contact',
    },
    ja: {
      questions: [
        '推進してくれていた担当者が異動になってしまいました。',
        '社内の関係者が多くて誰に話せばいいか分かりません。',
      ],
      followUp: '後任の方が前向きでない場合は？',
      reply:
        'まずは後任の方と早めに面談し、これまでの経緯と成果を共有しましょう [1]。関係者マップを作り、決裁者・影響者・利用者を整理しておくと、一人に依存しない関係が築けます [2]。',
      followUpReply: '後任の方の目標や関心を伺い、その方にとっての成果に合わせて提案を組み直します [1]。',
      summary: 'キーパーソン交代への対応',
    },
    en: {
      questions: [
        'Our champion just moved to another department.',
        'There are so many stakeholders. Whom do I talk to?',
      ],
      followUp: 'What if the successor is not interested?',
      reply:
        'Meet the successor early and share the history and the results so far [1]. A stakeholder map of deciders, influencers and users keeps you from depending on one person [2].',
      followUpReply: "Learn the successor's goals and reframe the value around them [1].",
      summary: 'Handled a champion leaving',
    },
  },
  {
    id: 'silence',
    skill: 'closing',
    documents: ['followup-email-silence', 'pipeline-hygiene'],
    nextAction: {
      ja: '返信のない案件に、情報提供型のメールを送る',
      en: 'Send a helpful, no-pressure email to the silent deals',
    },
    ja: {
      questions: ['提案後、お客様から返信が来なくなりました。', '止まっている案件をどう扱えばいいですか？'],
      followUp: '何度も連絡すると嫌がられませんか？',
      reply:
        '催促ではなく、役に立つ情報を添えた再アプローチのメールを送りましょう [1]。あわせてパイプラインを見直し、次のアクションと日付がない案件は確度を下げて管理します [2]。',
      followUpReply:
        '間隔を空け、毎回新しい価値（事例・資料）を添えれば押し付けにはなりません。3 回目で状況確認の一言を入れます [1]。',
      summary: '停滞案件の再アプローチ',
    },
    en: {
      questions: ['The customer went silent after my proposal.', 'How should I handle stalled deals?'],
      followUp: 'Will they find repeated emails annoying?',
      reply:
        'Send a re-engagement email with something useful in it, not a reminder [1]. Review the pipeline: a deal without a next action and date gets a lower probability [2].',
      followUpReply: 'Space them out and bring something new each time; ask for a status on the third [1].',
      summary: 'Re-engaged a silent deal',
    },
  },
  {
    id: 'demo',
    skill: 'proposal',
    documents: ['demo-best-practices'],
    nextAction: {
      ja: 'デモのシナリオを顧客の業務フローに合わせて作り直す',
      en: "Rebuild the demo script around the customer's workflow",
    },
    ja: {
      questions: ['製品デモが長くなってしまい、反応が薄いです。'],
      followUp: 'デモ中に想定外の質問が来たらどうしますか？',
      reply:
        'デモはお客様の業務の流れに沿って、課題が解決される場面だけを見せましょう [1]。最初に「今日ご覧いただきたいこと」を 3 つに絞って合意すると、集中して見てもらえます。',
      followUpReply:
        'その場で答えられなければメモして持ち帰り、当日中に回答すると約束します。脱線は後半の質疑に回しましょう [1]。',
      summary: 'デモの進め方を改善',
    },
    en: {
      questions: ['My product demos run long and the audience drifts off.'],
      followUp: 'What if they ask something unexpected during the demo?',
      reply:
        "Follow the customer's workflow and show only the moments where their problem gets solved [1]. Agree three things to see at the start.",
      followUpReply: 'Note it, promise an answer the same day, and park side topics for the Q&A [1].',
      summary: 'Improved the product demo',
    },
  },
  {
    id: 'discount',
    skill: 'closing',
    documents: ['negotiation-discount-policy', 'negotiation-batna'],
    nextAction: {
      ja: '値引きの条件（数量・期間）を事前に決めておく',
      en: 'Decide in advance what you ask for in return for a discount',
    },
    ja: {
      questions: ['最終段階で大幅な値引きを求められています。'],
      followUp: 'どこまで譲歩していいか、社内でどう相談すべきですか？',
      reply:
        '値引きは必ず条件と交換しましょう（契約期間、導入範囲、事例化など）[1]。交渉前に BATNA、つまり合意できなかった場合の代替案を整理しておくと、譲りすぎを防げます [2]。',
      followUpReply:
        '譲歩の上限と交換条件を事前に上長と決め、その範囲内で交渉します。その場で即答せず持ち帰るのも有効です [1]。',
      summary: '値引き交渉の準備',
    },
    en: {
      questions: ['They want a big discount at the last minute.'],
      followUp: 'How far can I go, and how do I agree it internally?',
      reply:
        'Never give a discount for nothing: trade it for term, scope or a case study [1]. Know your BATNA before the negotiation so you do not give away too much [2].',
      followUpReply:
        'Agree the limit and the trades with your manager beforehand; it is fine to take it back to the office [1].',
      summary: 'Prepared a discount negotiation',
    },
  },
];
