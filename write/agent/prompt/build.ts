import { coreRubric, type Rubric } from '../../../schemas/rubrics.ts';
import type { SkillKey } from '../../../schemas/skills.ts';
import { insightJsonSchema } from '../insight/schema.ts';
import type { Language } from '../language.ts';
import type { ChatMessage, ChatRequest, HintDocument } from '../llm/port.ts';
import type { RetrievedDocument } from '../ports.ts';
import { coachingSystemPrompt } from './coaching-prompt.ts';
import { trimHistory } from './history.ts';
import { type InsightTask, insightSystemPrompt, transcriptMessage } from './insight-prompt.ts';
import { roleplaySystemPrompt } from './roleplay-prompt.ts';

export type PromptBudget = {
  /** The session's history (the message answered included). */
  historyTokens: number;
  /** Each knowledge document in the system prompt. */
  tokensPerDocument: number;
};

/** About 3k tokens of history and 3 × 700 of knowledge: small enough for any current model with room to answer. */
export const defaultPromptBudget: PromptBudget = { historyTokens: 3000, tokensPerDocument: 700 };

const hintDocument = (doc: RetrievedDocument): HintDocument => ({
  id: doc.id,
  title: doc.title,
  snippet: doc.snippet,
  ...(doc.body !== undefined ? { body: doc.body } : {}),
});

export type CoachingRequestInput = {
  /** The session's messages in order, ending with the rep's message being answered. */
  session: readonly ChatMessage[];
  language: Language;
  /** Best first; cited as [1], [2], … in this order. */
  documents: readonly RetrievedDocument[];
  weakestSkills: readonly SkillKey[];
  budget?: PromptBudget;
};

export const buildCoachingRequest = (input: CoachingRequestInput): ChatRequest => {
  const budget = input.budget ?? defaultPromptBudget;
  const history = trimHistory(input.session, budget.historyTokens);
  return {
    system: coachingSystemPrompt({
      language: input.language,
      documents: input.documents,
      weakestSkills: input.weakestSkills,
      droppedMessages: history.dropped,
      tokensPerDocument: budget.tokensPerDocument,
    }),
    messages: history.messages,
    hints: {
      task: 'reply',
      language: input.language,
      documents: input.documents.map(hintDocument),
      weakestSkills: [...input.weakestSkills],
    },
  };
};

export type RoleplayRequestInput = {
  /** The roleplay so far, the rep as `user` and the buyer as `assistant`, ending with the rep's line. */
  session: readonly ChatMessage[];
  language: Language;
  persona: string | null;
  budget?: PromptBudget;
};

export const buildRoleplayRequest = (input: RoleplayRequestInput): ChatRequest => {
  const budget = input.budget ?? defaultPromptBudget;
  const history = trimHistory(input.session, budget.historyTokens);
  return {
    system: roleplaySystemPrompt(input.persona, input.language),
    messages: history.messages,
    hints: {
      task: 'roleplay',
      language: input.language,
      documents: [],
      weakestSkills: [],
      persona: input.persona,
      transcript: [...input.session],
    },
  };
};

export type InsightRequestInput = {
  /** The conversation judged, in order. */
  transcript: readonly ChatMessage[];
  task: InsightTask;
  language: Language;
  persona: string | null;
  /** The rubric scored; core v1 when not given. */
  rubric?: Rubric;
  budget?: PromptBudget;
};

export const buildInsightRequest = (input: InsightRequestInput): ChatRequest => {
  const budget = input.budget ?? defaultPromptBudget;
  const history = trimHistory(input.transcript, budget.historyTokens);
  const rubric = input.rubric ?? coreRubric;
  return {
    system: insightSystemPrompt(input.task, input.language, input.persona, rubric),
    messages: [transcriptMessage(history.messages, input.task)],
    json: { name: input.task, schema: insightJsonSchema(rubric) },
    // A judgement, not prose: the same conversation should get about the same scores.
    temperature: 0.2,
    hints: {
      task: input.task,
      language: input.language,
      documents: [],
      weakestSkills: [],
      persona: input.persona,
      transcript: [...input.transcript],
      rubric: { skills: rubric.skills },
    },
  };
};
