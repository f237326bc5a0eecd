import type { ChatMessage } from '../port.ts';
import { type Language, lastUserMessage, pick } from './text.ts';

/**
 * The mock buyer for roleplay: stays in the persona, answers the rep's last line with an
 * objection or question that fits what the rep said, and varies by turn number (deterministic).
 */

type Trait = 'price' | 'it' | 'executive' | 'busy' | 'careful';

const traitOf = (persona: string): Trait => {
  if (/価格|値段|コスト|購買|調達|予算|price|cost|procurement|purchasing|budget/i.test(persona))
    return 'price';
  if (/情報システム|情シス|IT|セキュリティ|security|engineer/i.test(persona)) return 'it';
  if (/部長|役員|社長|経営|決裁者|本部長|executive|director|CEO|CFO|VP/i.test(persona)) return 'executive';
  if (/忙しい|多忙|時間がない|せっかち|busy|impatient/i.test(persona)) return 'busy';
  return 'careful';
};

type Intent = 'opening' | 'price' | 'closing' | 'value' | 'feature' | 'empathy' | 'question' | 'other';

const intentOf = (line: string, turn: number): Intent => {
  if (
    turn <= 1 &&
    (line.length < 40 ||
      /はじめまして|初めまして|お時間|よろしく|hello|thank you for your time|nice to meet/i.test(line))
  )
    return 'opening';
  // Prices the rep names, not any mention of quotes: 「見積書はどう作っていますか」 is a question.
  if (/価格|費用|金額|[0-9０-９]+万?円|値段|料金|月額|年額|\bprice|\bcost|¥|\$/i.test(line)) return 'price';
  if (/日程|次回|契約|発注|導入しませんか|ご決断|来週|next step|contract|sign|schedule|go ahead/i.test(line))
    return 'closing';
  if (/効果|削減|ROI|費用対効果|事例|回収|save|saving|roi|case study|payback/i.test(line)) return 'value';
  if (/機能|できます|システム|ツール|自動|feature|automat|integrat|dashboard/i.test(line)) return 'feature';
  if (/ありがとう|大変|お気持ち|おっしゃる通り|ご苦労|thank|understand|must be/i.test(line)) return 'empathy';
  if (/[?？]|でしょうか|ですか/.test(line)) return 'question';
  return 'other';
};

type Lines = Record<Intent, readonly string[]> & { objections: readonly string[] };

const ja: Record<Trait, Lines> = {
  price: {
    opening: ['本日はよろしくお願いします。購買の立場から、まずは費用感を伺いたいのですが。'],
    price: [
      'その金額ですと、正直なところ他社様のお見積もりより2割ほど高いですね。',
      'その金額ですと、年間ではかなりの額になりますね。今期の予算枠には収まりません。',
      '初期費用がかかるのは厳しいです。そこは何とかなりませんか。',
    ],
    closing: [
      '契約の前に、相見積もりを取るのが社内のルールでして。比較表をいただけますか。',
      '日程は調整できますが、価格の条件が固まらないと稟議は上げられません。',
    ],
    value: [
      '効果はわかりましたが、その数字はうちと同じ規模の会社で出ているものですか。',
      '削減効果が本当に出るのか、保証のようなものはあるのでしょうか。',
    ],
    feature: ['機能が多いのは結構ですが、使わない機能の分まで払うのは避けたいですね。'],
    empathy: ['ご理解いただけて助かります。ただ、購買としてはやはり価格が一番の判断材料です。'],
    question: [
      '今は3社の見積もりを比べているところです。正直、価格で決めることになると思います。',
      '現状は年間契約で別のツールを使っています。乗り換えのコストも気になりますね。',
    ],
    other: ['なるほど。それで、結局いくらになるんでしょうか。'],
    objections: [
      'もう少し安くなりませんか。正直、予算オーバーです。',
      '他社様はもっと安い金額を出してきています。',
      '価格の根拠を社内で説明できる資料はありますか。',
      '今期は予算が厳しいので、来期に改めて検討したいのですが。',
    ],
  },
  it: {
    opening: [
      '本日はよろしくお願いします。情報システム部として、セキュリティと既存システムとの連携を確認させてください。',
    ],
    price: ['費用よりも、運用にかかる社内の工数のほうが気になりますね。'],
    closing: ['導入を決める前に、セキュリティチェックシートへの回答をいただく必要があります。'],
    value: ['その効果は、既存の基幹システムと連携した前提での数字ですか。'],
    feature: [
      'その機能は、今使っているシステムとAPIで連携できますか。',
      'データはどこに保存されますか。国内のデータセンターでしょうか。',
    ],
    empathy: ['ありがとうございます。現場からの要望が多くて、こちらも手が回っていないのが実情です。'],
    question: [
      '今は社内で開発したツールを使っています。保守できる人が減っているのが課題ですね。',
      'アカウント管理はシングルサインオンで統一しています。',
    ],
    other: ['なるほど。ただ、情報システム部としては新しいツールを増やすことには慎重なんです。'],
    objections: [
      'セキュリティの認証は何を取得されていますか。',
      '導入すると、うちの部署の運用負荷が増えるのではないですか。',
      '社内で作れなくもない気がするのですが。',
      '障害が起きたときのサポート体制はどうなっていますか。',
    ],
  },
  executive: {
    opening: ['よろしくお願いします。時間が限られているので、要点から伺えますか。'],
    price: ['金額そのものより、いつ回収できるのかを知りたいですね。'],
    closing: ['前向きには考えますが、最終的には役員会にかける必要があります。'],
    value: [
      'その効果は、売上か利益にどうつながりますか。',
      '3年で見たときに、投資に見合うと言い切れますか。',
    ],
    feature: ['細かい機能の話は担当に任せています。経営として何が変わるのかを教えてください。'],
    empathy: ['ありがとうございます。現場が忙しいのは承知しています。だからこそ慎重に選びたい。'],
    question: [
      '今期は生産性の向上が全社の目標です。ただ、投資の優先順位は厳しく見ています。',
      '現場からも要望は上がっていますが、まだ優先度は高くありません。',
    ],
    other: ['それで、うちにとっての一番のメリットは何でしょう。'],
    objections: [
      '今は他に優先すべきプロジェクトがあります。',
      '他社ではどのくらいの期間で効果が出ていますか。',
      '失敗したときのリスクはどう考えればいいですか。',
      '現場が本当に使いこなせるのか、そこが心配です。',
    ],
  },
  busy: {
    opening: ['すみません、今日は15分しか取れないのですが、よろしいですか。'],
    price: ['金額は資料で送ってください。後で見ます。'],
    closing: ['今月はバタバタしているので、来月以降でお願いできますか。'],
    value: ['要するに、どのくらい手間が減るんですか。'],
    feature: ['すみません、細かい説明は大丈夫です。何が楽になるのかだけ教えてください。'],
    empathy: ['ありがとうございます。本当に手が回っていなくて。'],
    question: ['今は人手が足りなくて、新しいことを始める余裕がないんです。'],
    other: ['なるほど。それで、次は何をすればいいですか。'],
    objections: [
      '導入の手間がかかるなら、今は難しいですね。',
      '社内で検討して、また連絡します。',
      '今のやり方でも、なんとか回ってはいるんですよ。',
    ],
  },
  careful: {
    opening: ['本日はよろしくお願いします。まずは、どのようなご提案か伺えますか。'],
    price: ['費用については、上の者とも相談しないと何とも言えません。'],
    closing: ['私の一存では決められないので、部長に確認してからお返事します。'],
    value: ['効果は魅力的ですね。ただ、うちでも同じようにいくかは少し不安です。'],
    feature: ['それは、今使っているExcelでも何とかなっている部分なんですよね。'],
    empathy: ['ありがとうございます。そう言っていただけると話しやすいです。'],
    question: [
      '今はExcelと紙で管理しています。月末はかなり残業が出ていますね。',
      '担当者は3名です。ただ、業務のやり方は人によってばらばらです。',
    ],
    other: ['そうなんですね。もう少し詳しく教えていただけますか。'],
    objections: [
      '社内で検討してから、改めてご連絡します。',
      '他社さんからも話を聞いているところです。',
      '今のままでも、特に困ってはいないんですよね。',
      '上に確認しないと、何ともお答えできません。',
    ],
  },
};

const en: Record<Trait, Lines> = {
  price: {
    opening: [
      'Thanks for coming. From a purchasing point of view, I would like to understand the cost first.',
    ],
    price: [
      'Honestly, that is about 20% higher than the other quote we have.',
      "That does not fit in this year's budget.",
    ],
    closing: ['Our rules require competing quotes before any contract. Can you send a comparison?'],
    value: ['Are those savings from a company of our size?'],
    feature: ['I would rather not pay for features we will never use.'],
    empathy: ['I appreciate that. Still, for purchasing, price is the main criterion.'],
    question: ['We are comparing three vendors right now, and price will probably decide it.'],
    other: ['I see. So what will it cost in the end?'],
    objections: ['Can you do better on the price? We are over budget.', 'The other vendor is cheaper.'],
  },
  it: {
    opening: ['Thanks. From IT, I need to check security and integration with our existing systems.'],
    price: ['I worry less about the price than about the effort to run it.'],
    closing: ['Before any decision you will need to complete our security questionnaire.'],
    value: ['Do those numbers assume integration with our core systems?'],
    feature: ['Can it integrate with our current system through an API?'],
    empathy: ['Thanks. We honestly cannot keep up with requests from the business.'],
    question: ['We use an in-house tool today, and fewer people can maintain it.'],
    other: ['I see. But IT is cautious about adding yet another tool.'],
    objections: ['Which security certifications do you have?', 'Could we not build this ourselves?'],
  },
  executive: {
    opening: ['Thank you. My time is limited, so please start with the key points.'],
    price: ['More than the price, I want to know when we get the money back.'],
    closing: ['I am positive, but this has to go to the board.'],
    value: ['How does that translate into revenue or profit?'],
    feature: ['Leave the feature details to my team. What changes for the business?'],
    empathy: ['Thank you. I know the team is busy, which is why we choose carefully.'],
    question: ['Productivity is a company goal this year, but investments are prioritised strictly.'],
    other: ['So what is the single biggest benefit for us?'],
    objections: ['We have other priorities right now.', 'What is the risk if this fails?'],
  },
  busy: {
    opening: ['Sorry, I only have fifteen minutes today. Is that OK?'],
    price: ['Just send me the pricing, I will look later.'],
    closing: ['This month is hectic. Can we revisit next month?'],
    value: ['In short, how much work does it save?'],
    feature: ['No need for the details. What gets easier?'],
    empathy: ['Thanks. We really are stretched.'],
    question: ['We are short-staffed and have no room to start anything new.'],
    other: ['OK. What is the next step for me?'],
    objections: [
      'If it takes effort to set up, now is not the time.',
      'Let us think about it and get back to you.',
    ],
  },
  careful: {
    opening: ['Thank you for your time. Could you start by telling me what you are proposing?'],
    price: ['I cannot comment on the cost without talking to my manager.'],
    closing: ['I cannot decide this alone; I need to check with my manager first.'],
    value: ['That sounds good, but I am not sure it would work the same for us.'],
    feature: ['We manage that part in Excel today, and it works, more or less.'],
    empathy: ['Thank you, that makes it easier to talk.'],
    question: ['We use Excel and paper today. Month-end means a lot of overtime.'],
    other: ['I see. Could you tell me a bit more?'],
    objections: [
      'We will think about it internally and get back to you.',
      'We are also talking to another vendor.',
    ],
  },
};

export const defaultPersona = { ja: '慎重な担当者', en: 'a cautious buyer' } as const;

const agreement = {
  ja: 'わかりました。では、来週の部内会議で共有してみます。今日のお話を資料にまとめてお送りいただけますか。',
  en: 'All right. I will share this at our team meeting next week. Could you send me a summary of today?',
} as const;

/** The buyer's next line; `transcript` is the roleplay so far, the rep speaking as `user`. */
export const buyerReply = (
  transcript: ChatMessage[],
  persona: string | null | undefined,
  language: Language,
) => {
  const turn = transcript.filter((m) => m.role === 'user').length;
  const line = lastUserMessage(transcript);
  const lines = (language === 'ja' ? ja : en)[traitOf(persona ?? '')];
  const intent = intentOf(line, turn);
  // A rep who keeps going and asks for a concrete next step late in the roleplay earns it.
  if (intent === 'closing' && turn >= 6) return agreement[language];
  const answer = pick(lines[intent], turn);
  // Every third turn the buyer adds one of the persona's objections, so that a roleplay exercises
  // objection handling whatever the rep says.
  if (turn % 3 !== 0 || intent === 'opening') return answer;
  return `${answer}${language === 'ja' ? '' : ' '}${pick(lines.objections, turn / 3 - 1)}`;
};
