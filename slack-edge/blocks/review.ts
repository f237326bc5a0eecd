import type { ManagerReviewRow } from '../../projections/manager-reviews/queries.ts';
import { type SkillKey, skillKeys, skillLabels } from '../../schemas/skills.ts';
import type { Language } from '../../write/agent/language.ts';
import type { TeamSession } from '../queries/team-sessions.ts';
import { escapeMrkdwn } from '../text/mrkdwn.ts';
import { reviewTexts } from '../text/review-messages.ts';
import {
  actionIds,
  reviewCommentAction,
  reviewCommentBlock,
  reviewScoreAction,
  reviewScoreBlock,
  viewIds,
} from './action-ids.ts';
import type { KnownBlock, ModalView } from './block-types.ts';
import { slackDate } from './home.ts';

/** The default rubric's label of a skill, else its key. */
export const skillName = (skill: string, language: Language): string =>
  (skillKeys as readonly string[]).includes(skill) ? skillLabels[skill as SkillKey][language] : skill;

/** What the modal carries to its submission (Slack signs the whole payload). */
export type ReviewModalMetadata = { sessionId: string; language: Language };

/** Per-skill selects (optional: only the skills overridden) and a comment. */
export const reviewModal = (
  session: { sessionId: string; userId: string; startedAt: string },
  skills: readonly string[],
  language: Language,
): ModalView => {
  const t = reviewTexts(language);
  const metadata: ReviewModalMetadata = { sessionId: session.sessionId, language };
  return {
    type: 'modal',
    callback_id: viewIds.managerReview,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: t.reviewModalTitle },
    submit: { type: 'plain_text', text: t.reviewModalSubmit },
    close: { type: 'plain_text', text: t.reviewModalCancel },
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: t.reviewModalLead(session.userId, slackDate(session.startedAt)) },
      },
      ...skills.map(
        (skill): KnownBlock => ({
          type: 'input',
          block_id: reviewScoreBlock(skill),
          optional: true,
          label: { type: 'plain_text', text: skillName(skill, language) },
          element: {
            type: 'static_select',
            action_id: reviewScoreAction,
            placeholder: { type: 'plain_text', text: t.reviewKeep },
            options: [1, 2, 3, 4, 5].map((n) => ({
              text: { type: 'plain_text', text: String(n) },
              value: String(n),
            })),
          },
        }),
      ),
      {
        type: 'input',
        block_id: reviewCommentBlock,
        optional: true,
        label: { type: 'plain_text', text: t.reviewComment },
        element: {
          type: 'plain_text_input',
          action_id: reviewCommentAction,
          multiline: true,
          max_length: 3000,
        },
      },
    ],
  };
};

const scoreList = (scores: Readonly<Record<string, number>>, language: Language) =>
  Object.entries(scores)
    .map(([skill, score]) => `${skillName(skill, language)} ${score}`)
    .join(language === 'ja' ? '、' : ', ');

/** The DM to the rep: who reviewed which session, the scores and the comment. */
export const reviewDmText = (
  review: { reviewerId: string; scores: Readonly<Record<string, number>>; comment: string },
  startedAt: string,
  language: Language,
): string => {
  const t = reviewTexts(language);
  const lines = [
    t.reviewDm(review.reviewerId, slackDate(startedAt)),
    `*${t.reviewDmScores}*: ${scoreList(review.scores, language)}`,
  ];
  if (review.comment.trim()) lines.push(`*${t.reviewDmComment}*: ${escapeMrkdwn(review.comment.trim())}`);
  lines.push(t.reviewDmHome);
  return lines.join('\n');
};

/** The rep's Home tab: their latest reviews. */
export const homeReviewBlocks = (reviews: readonly ManagerReviewRow[], language: Language): KnownBlock[] => {
  const t = reviewTexts(language);
  const lines = reviews.map((r) => {
    const comment = r.comment.trim() ? ` — ${escapeMrkdwn(r.comment.trim().slice(0, 300))}` : '';
    return `• ${slackDate(r.reviewedAt)}　<@${r.reviewerId}>: ${scoreList(r.scores, language)}${comment}`;
  });
  return [
    { type: 'divider' },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${t.homeReviews}\n${lines.length ? lines.join('\n') : t.homeNoReviews}`,
      },
    },
  ];
};

/** A manager's Home tab: their team's newest sessions, each with a Review button. */
export const homeTeamBlocks = (sessions: readonly TeamSession[], language: Language): KnownBlock[] => {
  const t = reviewTexts(language);
  return [
    { type: 'divider' },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: sessions.length ? t.homeTeamSessions : `${t.homeTeamSessions}\n${t.homeNoTeamSessions}`,
      },
    },
    ...sessions.map(
      (s): KnownBlock => ({
        type: 'section',
        text: { type: 'mrkdwn', text: t.teamSessionLine(s.userId, slackDate(s.startedAt), s.messageCount) },
        accessory: {
          type: 'button',
          action_id: actionIds.reviewSession,
          text: { type: 'plain_text', text: t.reviewButton },
          value: s.sessionId,
        },
      }),
    ),
  ];
};
