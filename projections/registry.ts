import { dialogueProjection } from './dialogue/projection.ts';
import { growthProjection } from './growth/projection.ts';
import { insightsProjection } from './insights/projection.ts';
import { knowledgeProjection } from './knowledge/projection.ts';
import { managerReviewsProjection } from './manager-reviews/projection.ts';
import type { ProjectionDefinition } from './projection.ts';
import { rubricsProjection } from './rubrics/projection.ts';
// Skill targets (issue 16, targets).
import { skillTargetsProjection } from './targets/projection.ts';

/** Every read model, by name. */
export const projections: readonly ProjectionDefinition[] = [
  dialogueProjection as ProjectionDefinition,
  insightsProjection as ProjectionDefinition,
  growthProjection as ProjectionDefinition,
  knowledgeProjection as ProjectionDefinition,
  // Manager in the loop (issue 16)
  managerReviewsProjection as ProjectionDefinition,
  // Skill targets (issue 16, targets).
  skillTargetsProjection as ProjectionDefinition,
  // Rubrics (issue 16)
  rubricsProjection as ProjectionDefinition,
];

export const projectionNames = projections.map((p) => p.name);

export const findProjection = (name: string) => projections.find((p) => p.name === name);
