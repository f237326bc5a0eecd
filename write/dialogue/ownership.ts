import { AppError } from '../../schemas/errors.ts';
import type { SessionInfo } from './state.ts';

/**
 * A session is one rep's conversation with the coach: another person's message (a colleague
 * mentioning the bot inside the rep's thread) never joins it. Their message is refused with
 * FORBIDDEN and the edge tells them privately; the rep's profile never reaches their answer and
 * no insight about them lands on the rep's history.
 */
export const assertSessionOwner = (open: SessionInfo | null, userId: string): void => {
  if (open && open.userId !== userId) {
    throw new AppError('FORBIDDEN', `session ${open.id} belongs to another person`, {
      sessionId: open.id,
      ownerId: open.userId,
    });
  }
};
