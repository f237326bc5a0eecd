import type { RouteGroup } from '../app.ts';
import { knowledgeRouteSpecs, knowledgeRoutes } from './knowledge.ts';
import { projectionRouteSpecs, projectionRoutes } from './projections.ts';
import type { ReadModelDeps } from './read-model-deps.ts';
import { reviewRouteSpecs, reviewRoutes } from './reviews.ts';
import { rubricRouteSpecs, rubricRoutes } from './rubrics.ts';
import { sessionRouteSpecs, sessionRoutes } from './sessions.ts';
import { userRouteSpecs, userRoutes } from './users.ts';

/** Every read API route group over the read models. */
export const readModelRoutes = (deps: ReadModelDeps): RouteGroup[] => [
  { app: userRoutes(deps), specs: userRouteSpecs },
  { app: sessionRoutes(deps), specs: sessionRouteSpecs },
  { app: reviewRoutes(deps), specs: reviewRouteSpecs },
  { app: knowledgeRoutes(deps), specs: knowledgeRouteSpecs },
  { app: projectionRoutes(deps), specs: projectionRouteSpecs },
  { app: rubricRoutes(deps), specs: rubricRouteSpecs },
];
