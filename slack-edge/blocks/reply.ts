import type { Citation } from '../../schemas/events/index.ts';
import type { Language } from '../../write/agent/language.ts';
import { textsFor } from '../text/messages.ts';
import { escapeMrkdwn, markdownToMrkdwn, truncate } from '../text/mrkdwn.ts';
import { sectionTextLimit, splitText } from '../text/split.ts';
import { actionIds } from './action-ids.ts';
import type { ActionsBlockElement, KnownBlock } from './block-types.ts';
import { encodeReplyRef, type ReplyRef } from './reply-ref.ts';

export type ReplyKind = 'coaching' | 'roleplay' | 'scorecard';

/**
 * `native`: Slack's feedback element for AI apps (`context_actions` + `feedback_buttons`);
 * `buttons`: two plain buttons, for workspaces or surfaces that refuse the native element.
 */
export type FeedbackStyle = 'native' | 'buttons';

export type ReplyFooter = {
  ref: ReplyRef;
  kind: ReplyKind;
  language: Language;
  citations: readonly Citation[];
  feedback: FeedbackStyle;
};

/** The documents a reply cites, listed; at most this many get a "show" button. */
const documentButtons = 3;

/** Section blocks for a piece of mrkdwn (each section holds at most 3,000 characters). */
export const sectionBlocks = (mrkdwn: string): KnownBlock[] =>
  splitText(mrkdwn, sectionTextLimit).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));

/**
 * What goes under every reply: the documents it cites (each can be opened in full), feedback
 * (coaching advice and scorecards), and the button that ends the session (or the roleplay).
 */
export const replyFooterBlocks = ({
  ref,
  kind,
  language,
  citations,
  feedback,
}: ReplyFooter): KnownBlock[] => {
  const t = textsFor(language);
  const blocks: KnownBlock[] = [];
  if (kind === 'coaching' && citations.length > 0) {
    const list = citations
      .map(
        (c, i) =>
          `[${i + 1}] ${escapeMrkdwn(truncate(c.section ? `${c.title} › ${c.section}` : c.title, 80))}`,
      )
      .join('　');
    blocks.push({
      type: 'context',
      block_id: 'reply_sources',
      elements: [{ type: 'mrkdwn', text: `📚 *${t.sources}*：${list}` }],
    });
  }
  const wantsFeedback = kind !== 'roleplay';
  if (wantsFeedback && feedback === 'native') {
    blocks.push({
      type: 'context_actions',
      block_id: 'reply_feedback',
      elements: [
        {
          type: 'feedback_buttons',
          action_id: actionIds.replyFeedback,
          positive_button: {
            text: { type: 'plain_text', text: '👍' },
            accessibility_label: t.feedbackUp,
            value: encodeReplyRef(ref, 'up'),
          },
          negative_button: {
            text: { type: 'plain_text', text: '👎' },
            accessibility_label: t.feedbackDown,
            value: encodeReplyRef(ref, 'down'),
          },
        },
      ],
    });
  }
  const buttons: ActionsBlockElement[] = [];
  if (kind === 'coaching') {
    citations.slice(0, documentButtons).forEach((c, i) => {
      buttons.push({
        type: 'button',
        action_id: `${actionIds.showDocument}:${i}`,
        text: { type: 'plain_text', text: truncate(`📄 [${i + 1}] ${c.title}`, 75) },
        value: c.documentId,
      });
    });
  }
  if (wantsFeedback && feedback === 'buttons') {
    for (const rating of ['up', 'down'] as const) {
      buttons.push({
        type: 'button',
        action_id: `${actionIds.replyFeedback}:${rating}`,
        text: {
          type: 'plain_text',
          text: `${rating === 'up' ? '👍' : '👎'} ${rating === 'up' ? t.feedbackUp : t.feedbackDown}`,
        },
        value: encodeReplyRef(ref, rating),
      });
    }
  }
  if (kind !== 'scorecard') {
    const label = kind === 'roleplay' ? t.endRoleplay : t.endSession;
    buttons.push({
      type: 'button',
      action_id: actionIds.endSession,
      text: { type: 'plain_text', text: label },
      value: encodeReplyRef(ref),
      confirm: {
        title: { type: 'plain_text', text: label },
        text: { type: 'plain_text', text: kind === 'roleplay' ? t.roleplayEnding : t.sessionEnded },
        confirm: { type: 'plain_text', text: label },
        deny: { type: 'plain_text', text: t.cancel },
      },
    });
  }
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: 'reply_actions', elements: buttons });
  return blocks;
};

/** A reply's text as mrkdwn pieces, one message each (a section holds at most 3,000 characters). */
export const replyPieces = (markdown: string): string[] => {
  const pieces = splitText(markdownToMrkdwn(markdown), sectionTextLimit);
  return pieces.length > 0 ? pieces : [' '];
};
