import type { Language } from '../../write/agent/language.ts';

/** Every fixed text the Slack edge shows, in Japanese (the default) and English. */
export const messages = {
  ja: {
    thinkingStatus: '考えています…',
    loading: ['ナレッジベースを確認しています…', '回答をまとめています…', 'アドバイスを整理しています…'],
    placeholder: '_考えています…_',
    sources: '参考資料',
    feedbackUp: '役に立った',
    feedbackDown: 'いまひとつ',
    endSession: 'セッション終了',
    endRoleplay: 'ロールプレイ終了',
    showDocument: '全文を表示',
    feedbackThanks: (rating: 'up' | 'down') =>
      rating === 'up'
        ? 'フィードバックありがとうございます！今後のアドバイスに活かします。'
        : 'フィードバックありがとうございます。改善に役立てます。',
    sessionEnded: 'セッションを終了しました。次のメッセージから新しいセッションが始まります。',
    roleplayEnding: 'ロールプレイを終了しました。スコアカードをお送りします。',
    notYourSession: 'このセッションを終了できるのは、始めた方だけです。',
    knowledgeMembersOnly:
      '社内ナレッジベースは、このワークスペースのメンバーだけが利用できます（ゲストや社外の方はご利用いただけません）。',
    someoneElsesThread:
      'このスレッドは別の方のコーチングセッションです。ご相談は、チャンネルで新しくメンションするか、DM でお送りください（このメッセージはあなたにだけ表示されています）。',
    alreadyEnded: 'このセッションはすでに終了しています。',
    somethingWrong: 'エラーが発生しました。少し時間をおいてもう一度お試しください。',
    searching: (q: string) => `🔎 「${q}」を検索しています…`,
    knowledgeUsage: '使い方：`/ai_knowledge 価格交渉` のように、探したいキーワードを入れてください。',
    knowledgeHeader: (q: string) => `「${q}」のナレッジ検索結果`,
    knowledgeNone: (q: string) =>
      `「${q}」に該当するドキュメントは見つかりませんでした。別のキーワードでお試しください。`,
    documentMissing: 'このドキュメントは見つかりませんでした（取り下げられた可能性があります）。',
    documentTitle: 'ナレッジ',
    close: '閉じる',
    loadingHistory: '📈 成長履歴を集計しています…',
    historyTitle: '📈 あなたの成長履歴',
    historyTitleOther: '📈 成長履歴',
    historyOf: (user: string) => `<@${user}> さんの成長履歴です。`,
    historyNotAllowed:
      'この方の成長履歴を見る権限がありません（自分の履歴と、マネージャーは自チームのメンバーの履歴を見られます）。',
    historyNoneOf: (user: string) => `<@${user}> さんにはまだ成長履歴がありません。`,
    historyNone:
      'まだ成長履歴がありません。DM でコーチに相談するか、「ロールプレイ: 価格に厳しい購買担当」のように送って練習を始めましょう。',
    skillsHeading: '*スキル別スコア*（現在 / 5・推移）',
    strengthsHeading: '*最近の良かった点*',
    improvementsHeading: '*最近の改善点*',
    perWeekHeading: '*週ごとのセッション数*',
    summary: (sessions: number, insights: number) => `セッション ${sessions} 件・評価 ${insights} 件`,
    homeHeader: 'AI営業コーチ',
    homeIntro:
      'DM で商談の悩みを相談したり、ロールプレイで練習したりできます。スレッドで私をメンションしても答えます。',
    homeProfile: '*スキルプロフィール*',
    homeRecent: '*最近のセッション*',
    homeNoSessions: 'まだセッションはありません。',
    homeSuggestion: '*次のおすすめ練習*',
    suggestionFor: (skill: string) =>
      `いちばん伸びしろがあるのは「${skill}」です。ロールプレイで練習してみましょう。`,
    suggestionNone: 'まずはロールプレイで、いまの実力を測ってみましょう。',
    startRoleplay: 'ロールプレイを始める',
    sessionLine: (mode: 'coaching' | 'roleplay', messages: number) =>
      `${mode === 'roleplay' ? 'ロールプレイ' : 'コーチング'}・メッセージ ${messages} 件`,
    ongoing: '進行中',
    roleplayModalTitle: 'ロールプレイ',
    roleplayPersonaLabel: '相手（買い手）の人物像',
    roleplayPersonaHint: '例：価格に厳しい購買担当、多忙な情報システム部長',
    roleplayStart: '開始',
    cancel: 'キャンセル',
    roleplayIntro: (persona: string) =>
      `ロールプレイを始めます（相手：${persona}）。このスレッドで、営業担当として話しかけてください。終えるときは「終了」と送ってください。`,
    roleplayRequest: (persona: string) => `ロールプレイ: ${persona}`,
    suggestedTitle: 'どんな商談について相談しますか？',
    // The assistant / agent view (Messages tab): starting points into the coach's features,
    // the steps shown while an answer is written, and the note on an answer continued after
    // Slack ended its stream.
    suggestedPrompts: [
      { title: 'ロールプレイで練習', message: 'ロールプレイ: 価格に厳しい購買担当' },
      { title: '反論への切り返し', message: '「高い」と言われたとき、どう返せばいいですか？' },
      { title: 'ナレッジを探す', message: '競合と比較されたときに使える社内資料を探してください。' },
      { title: '自分の成長を見る', message: '私の最近の成長と、次に練習すべきスキルを教えてください。' },
    ],
    steps: {
      knowledge: 'ナレッジベースを検索',
      answer: '回答を作成',
      scoring: 'スキルを採点',
    },
    stepsPlan: '回答の準備',
    documentsFound: (n: number) => (n === 0 ? '該当する資料なし' : `${n} 件の資料`),
    continued: '（続き）',
  },
  en: {
    thinkingStatus: 'is thinking…',
    loading: ['Checking the knowledge base…', 'Putting the answer together…', 'Sorting out the advice…'],
    placeholder: '_Thinking…_',
    sources: 'Sources',
    feedbackUp: 'Helpful',
    feedbackDown: 'Not helpful',
    endSession: 'End session',
    endRoleplay: 'End roleplay',
    showDocument: 'Show full text',
    feedbackThanks: (rating: 'up' | 'down') =>
      rating === 'up'
        ? 'Thanks for the feedback! It helps the coaching.'
        : 'Thanks for the feedback. We will use it to improve.',
    sessionEnded: 'Session ended. Your next message starts a new one.',
    roleplayEnding: 'The roleplay has ended. Your scorecard is on its way.',
    notYourSession: 'Only the rep who started this session can end it.',
    knowledgeMembersOnly:
      'The internal knowledge base is for members of this workspace only (not for guests or people from other organizations).',
    someoneElsesThread:
      "This thread is another rep's coaching session. Mention me in a new message in the channel, or send me a DM (only you can see this message).",
    alreadyEnded: 'This session has already ended.',
    somethingWrong: 'Something went wrong. Please try again in a moment.',
    searching: (q: string) => `🔎 Searching for "${q}"…`,
    knowledgeUsage: 'Usage: `/ai_knowledge price objection`: add the keywords to search for.',
    knowledgeHeader: (q: string) => `Knowledge base results for "${q}"`,
    knowledgeNone: (q: string) => `Nothing in the knowledge base matches "${q}". Try other keywords.`,
    documentMissing: 'This document could not be found (it may have been retracted).',
    documentTitle: 'Knowledge',
    close: 'Close',
    loadingHistory: '📈 Gathering your growth history…',
    historyTitle: '📈 Your growth',
    historyTitleOther: '📈 Growth history',
    historyOf: (user: string) => `Growth history of <@${user}>.`,
    historyNotAllowed:
      "You may not see this rep's history (everyone sees their own; managers also see their team's).",
    historyNoneOf: (user: string) => `<@${user}> has no growth history yet.`,
    historyNone:
      'No growth history yet. Ask the coach something in a DM, or send "roleplay: a price-sensitive buyer" to start practising.',
    skillsHeading: '*Skills* (current / 5, trend)',
    strengthsHeading: '*Recent strengths*',
    improvementsHeading: '*Recent improvements to work on*',
    perWeekHeading: '*Sessions per week*',
    summary: (sessions: number, insights: number) => `${sessions} sessions, ${insights} assessments`,
    homeHeader: 'AI sales coach',
    homeIntro:
      'Ask about a deal in a DM, or practise with a roleplay. Mention me in a thread and I will answer there too.',
    homeProfile: '*Skill profile*',
    homeRecent: '*Recent sessions*',
    homeNoSessions: 'No sessions yet.',
    homeSuggestion: '*Suggested next practice*',
    suggestionFor: (skill: string) => `Your biggest opportunity is ${skill}. Practise it in a roleplay.`,
    suggestionNone: 'Start with a roleplay to see where you stand.',
    startRoleplay: 'Start a roleplay',
    sessionLine: (mode: 'coaching' | 'roleplay', messages: number) =>
      `${mode === 'roleplay' ? 'Roleplay' : 'Coaching'}, ${messages} messages`,
    ongoing: 'ongoing',
    roleplayModalTitle: 'Roleplay',
    roleplayPersonaLabel: 'Who is the buyer?',
    roleplayPersonaHint: 'e.g. a price-sensitive procurement manager, a busy IT director',
    roleplayStart: 'Start',
    cancel: 'Cancel',
    roleplayIntro: (persona: string) =>
      `Starting a roleplay (buyer: ${persona}). Reply in this thread as the sales rep. Send "end" to finish.`,
    roleplayRequest: (persona: string) => `roleplay: ${persona}`,
    suggestedTitle: 'Which deal shall we talk about?',
    suggestedPrompts: [
      { title: 'Practise in a roleplay', message: 'roleplay: a price-sensitive buyer' },
      {
        title: 'Handle an objection',
        message: 'The buyer says we are too expensive. How do I respond?',
      },
      {
        title: 'Search the knowledge base',
        message: 'Find our material for when a buyer compares us with a competitor.',
      },
      { title: 'See my growth', message: 'How have I grown lately, and which skill should I practise next?' },
    ],
    steps: {
      knowledge: 'Searching the knowledge base',
      answer: 'Writing the answer',
      scoring: 'Scoring your skills',
    },
    stepsPlan: 'Preparing your answer',
    documentsFound: (n: number) => (n === 0 ? 'no matching documents' : `${n} document${n === 1 ? '' : 's'}`),
    continued: '(continued)',
  },
} satisfies Record<Language, unknown>;

export type Messages = (typeof messages)['ja'];

export const textsFor = (language: Language): Messages => messages[language] as Messages;
