import type { WebClient } from '@slack/web-api';
import type pg from 'pg';
import type { Logger } from '../../schemas/logger.ts';
import { reviewDmText } from '../blocks/review.ts';
import type { LanguageOf } from '../locale.ts';
import { sessionOwner } from '../queries/team-sessions.ts';

export type ReviewNotice = {
  sessionId: string;
  userId: string;
  reviewerId: string;
  scores: Readonly<Record<string, number>>;
  comment: string;
};

/**
 * Tells a rep in a DM (in their language) that their manager reviewed a session: the scores and
 * the comment. Called once, by whoever recorded the review (dashboard or Slack modal); the Home
 * tab follows through the refresher, from the read model.
 */
export const createReviewNotifier =
  (deps: { pool: pg.Pool; client: WebClient; languageOf: LanguageOf; logger: Logger }) =>
  async (notice: ReviewNotice): Promise<void> => {
    const [language, session] = await Promise.all([
      deps.languageOf(notice.userId),
      sessionOwner(deps.pool, notice.sessionId),
    ]);
    await deps.client.chat.postMessage({
      // A user id as the channel: Slack posts to the app's DM with them.
      channel: notice.userId,
      text: reviewDmText(notice, session?.startedAt ?? new Date().toISOString(), language),
      unfurl_links: false,
    });
  };

export type ReviewNotifier = ReturnType<typeof createReviewNotifier>;
