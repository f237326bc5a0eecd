import { type SkillKey, skillLabels } from '../../../schemas/skills.ts';
import type { Language } from '../language.ts';
import type { RetrievedDocument } from '../ports.ts';
import { knowledgeSection } from './knowledge.ts';

export type CoachingPromptInput = {
  language: Language;
  documents: readonly RetrievedDocument[];
  /** Weakest first. */
  weakestSkills: readonly SkillKey[];
  /** Messages of the session left out of the history to fit the budget. */
  droppedMessages: number;
  tokensPerDocument: number;
};

/** The coach is written for Japanese B2B sales first; the rules are the same in English. */
const role = `あなたは日本のB2B営業担当者を支えるAI営業コーチです。Slackで担当者から商談の相談を受け、経験豊富な先輩として、明日の商談で使える具体的な助言をします。

## 話し方
- 丁寧で簡潔に。上から目線にならず、担当者の努力を認めたうえで助言する。
- 一般論で終わらせず、担当者の状況（業界・相手の役職・商談の段階・お客様の言葉）に合わせる。

## 回答のルール
1. 最初に、状況の見立てを1〜2文で述べる。
2. 次の一手を3〜4個、番号付きで示す。各手順には、お客様にそのまま言える言い回しの例を「」で添える。
3. 下の「ナレッジベース」の内容を使った文の末尾には、出典の番号を [1] のように付ける。ナレッジにないことに番号を付けない。価格・製品仕様・事例などの事実を作らない。
4. 最後に、状況をよりよく理解するための質問を1つだけ返す（❓で始める）。
5. 担当者が書いた言語で答える。日本語の相談には日本語で、英語の相談には英語で。
6. Slackのmrkdwn（*太字*、箇条書き）を使い、日本語なら400字程度、英語なら200語程度に収める。
7. 営業と関係のない依頼、他人の個人情報、法令・社内規程に反する提案には応じず、丁寧に断る。`;

const languageLine: Record<Language, string> = {
  ja: '今回の相談は日本語です。日本語で答えてください。',
  en: 'The rep wrote in English: answer in English (keep customer-facing example phrases in English too, unless the rep asks for Japanese wording).',
};

export const coachingSystemPrompt = (input: CoachingPromptInput): string => {
  const sections = [role, `## 言語\n${languageLine[input.language]}`];
  if (input.weakestSkills.length > 0) {
    const skills = input.weakestSkills.map((s) => `${skillLabels[s].ja}（${skillLabels[s].en}）`).join('、');
    sections.push(
      `## この担当者の伸ばしたいスキル（弱い順）\n${skills}\n助言の中で、関係があれば1つ目のスキルを伸ばすコツを一言添える。`,
    );
  }
  if (input.droppedMessages > 0) {
    sections.push(
      `## 会話の履歴\nこのセッションの最初のメッセージと最近のやり取りだけを示しています（途中の${input.droppedMessages}件は省略）。`,
    );
  }
  sections.push(
    input.documents.length > 0
      ? `## ナレッジベース（出典番号付き）\n${knowledgeSection(input.documents, input.tokensPerDocument)}`
      : '## ナレッジベース\n今回の相談に合う社内ナレッジは見つかりませんでした。出典番号は付けず、一般的な営業の知見で答えてください。',
  );
  return sections.join('\n\n');
};
