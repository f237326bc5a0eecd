import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { defaultReviewSkills as reviewSkills } from '../../../schemas/review-commands.ts';
import { canReview } from '../../../write/authorization/policy.ts';
import { reviewModal } from '../../blocks/review.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { sessionOwner } from '../../queries/team-sessions.ts';
import { reviewTexts } from '../../text/review-messages.ts';
import { readAction } from './payload.ts';

/**
 * "Review" on a team session (the manager's Home tab): opens the review modal — for the rep's
 * manager only (the policy decides; anyone else gets a private note).
 */
export const openReview =
  (deps: SlackEdgeDeps) =>
  async ({ ack, body, respond }: SlackActionMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const read = readAction(body);
    const sessionId = z.uuid().safeParse(read?.action.value);
    if (!read?.payload.trigger_id || !sessionId.success) return;
    const reviewer = read.payload.user.id;
    const [language, session, config] = await Promise.all([
      deps.languageOf(reviewer),
      sessionOwner(deps.pool, sessionId.data),
      deps.teams.config(),
    ]);
    if (!session || !canReview(reviewer, session.userId, config)) {
      if (read.payload.response_url) {
        await respond({ response_type: 'ephemeral', text: reviewTexts(language).reviewNotAllowed });
      }
      return;
    }
    await deps.client.views.open({
      trigger_id: read.payload.trigger_id,
      view: reviewModal({ sessionId: sessionId.data, ...session }, reviewSkills, language),
    });
  };
