import type { SkillKey } from '../../../../schemas/skills.ts';
import type { SituationKey } from './situations.ts';

/** What the mock coach says per situation: a read, concrete steps, and one question back. */
export type Advice = { label: string; read: string; steps: string[]; question: string };

export type AdviceBook = { situations: Record<SituationKey, Advice>; skillTips: Record<SkillKey, string> };
