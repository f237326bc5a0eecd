import { z } from 'zod';

/** The fixed coaching rubric: every insight scores each skill from 1 to 5. */
export const skillKeys = ['hearing', 'proposal', 'objection_handling', 'closing', 'relationship'] as const;

export const SkillKey = z.enum(skillKeys);
export type SkillKey = z.infer<typeof SkillKey>;

export const SkillScore = z.number().int().min(1).max(5);

export const SkillScores = z.object({
  hearing: SkillScore,
  proposal: SkillScore,
  objection_handling: SkillScore,
  closing: SkillScore,
  relationship: SkillScore,
});
export type SkillScores = z.infer<typeof SkillScores>;

export const skillLabels: Record<SkillKey, { ja: string; en: string }> = {
  hearing: { ja: 'ヒアリング', en: 'Hearing / discovery' },
  proposal: { ja: '提案', en: 'Proposal' },
  objection_handling: { ja: '反論処理', en: 'Objection handling' },
  closing: { ja: 'クロージング', en: 'Closing' },
  relationship: { ja: '関係構築', en: 'Relationship building' },
};
