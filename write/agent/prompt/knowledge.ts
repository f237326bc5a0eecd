import type { Citation } from '../../../schemas/events/index.ts';
import type { RetrievedDocument } from '../ports.ts';
import { truncateToTokens } from './tokens.ts';

/**
 * The retrieved documents as the prompt shows them: numbered from 1 in retrieval order, so the
 * model can cite them as [1], [2], …; each cut to `tokensPerDocument`.
 */
export const knowledgeSection = (
  documents: readonly RetrievedDocument[],
  tokensPerDocument: number,
): string =>
  documents
    .map((doc, i) => {
      const text = truncateToTokens((doc.body ?? doc.snippet).trim(), tokensPerDocument, '\n…（以下省略）');
      return `[${i + 1}] ${doc.title}${doc.section ? ` › ${doc.section}` : ''}\n${text}`;
    })
    .join('\n\n');

const citationMarker = /\[(\d{1,2})\]/g;

/**
 * The documents a reply actually cites: those whose number appears as [n] in its text, in
 * order of their numbers. A number with no document (the model made it up) is ignored.
 */
export const citationsIn = (text: string, documents: readonly RetrievedDocument[]): Citation[] => {
  const numbers = new Set<number>();
  for (const match of text.matchAll(citationMarker)) numbers.add(Number(match[1]));
  return [...numbers]
    .sort((a, b) => a - b)
    .flatMap((n) => {
      const doc = documents[n - 1];
      if (!doc) return [];
      return [
        {
          documentId: doc.id,
          title: doc.title,
          ...(doc.version ? { version: doc.version } : {}),
          ...(doc.section ? { section: doc.section } : {}),
        },
      ];
    });
};
