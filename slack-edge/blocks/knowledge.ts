import type { KnowledgeSearchHit } from '../../projections/knowledge/search.ts';
import { snippetToSlackMrkdwn } from '../../projections/knowledge/snippet.ts';
import type { Language } from '../../write/agent/language.ts';
import { textsFor } from '../text/messages.ts';
import { escapeMrkdwn, truncate } from '../text/mrkdwn.ts';
import { actionIds } from './action-ids.ts';
import type { KnownBlock } from './block-types.ts';

/** `/ai_knowledge`: the top documents, each with its title, the section that answers, snippet (hits in bold) and a button for the whole text. */
export const knowledgeResultBlocks = (
  query: string,
  hits: readonly KnowledgeSearchHit[],
  language: Language,
): { text: string; blocks: KnownBlock[] } => {
  const t = textsFor(language);
  if (hits.length === 0) {
    const text = t.knowledgeNone(query);
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(text) } }] };
  }
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(t.knowledgeHeader(query), 150) } },
  ];
  hits.forEach((hit, i) => {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `*${i + 1}. ${escapeMrkdwn(hit.title)}*${hit.section.label ? ` › ${escapeMrkdwn(hit.section.label)}` : ''}\n${snippetToSlackMrkdwn({ text: hit.snippet, highlights: hit.highlights })}`,
          3000,
        ),
      },
      accessory: {
        type: 'button',
        action_id: `${actionIds.showDocument}:${i}`,
        text: { type: 'plain_text', text: t.showDocument },
        value: hit.documentId,
      },
    });
    if (hit.tags.length > 0) {
      blocks.push({
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: truncate(hit.tags.map((tag) => `#${escapeMrkdwn(tag)}`).join(' '), 2000) },
        ],
      });
    }
  });
  return { text: t.knowledgeHeader(query), blocks };
};
