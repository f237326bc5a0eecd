import type { Language } from '../../write/agent/language.ts';
import { textsFor } from '../text/messages.ts';
import { markdownToMrkdwn, truncate } from '../text/mrkdwn.ts';
import { viewIds } from './action-ids.ts';
import type { KnownBlock, ModalView } from './block-types.ts';
import { sectionBlocks } from './reply.ts';

export type KnowledgeDocument = {
  documentId: string;
  title: string;
  body: string;
  tags: string[];
  version: number;
};

/** A modal holds 100 blocks; a document longer than that is cut, with a note. */
const maxBodyBlocks = 95;

/** The whole document as blocks: its title, its body (Markdown → mrkdwn), its tags and version. */
export const documentBlocks = (doc: KnowledgeDocument): KnownBlock[] => {
  const body = sectionBlocks(markdownToMrkdwn(doc.body));
  const shown = body.slice(0, maxBodyBlocks);
  if (body.length > shown.length) shown.push({ type: 'section', text: { type: 'mrkdwn', text: '…' } });
  return [
    { type: 'header', text: { type: 'plain_text', text: truncate(doc.title, 150) } },
    ...shown,
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: truncate(
            `v${doc.version}${doc.tags.length ? `　${doc.tags.map((t) => `#${t}`).join(' ')}` : ''}`,
            2000,
          ),
        },
      ],
    },
  ];
};

export const documentModal = (doc: KnowledgeDocument, language: Language): ModalView => {
  const t = textsFor(language);
  return {
    type: 'modal',
    callback_id: viewIds.document,
    title: { type: 'plain_text', text: truncate(t.documentTitle, 24) },
    close: { type: 'plain_text', text: t.close },
    blocks: documentBlocks(doc),
  };
};
