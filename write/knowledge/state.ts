import type { SalesEvent } from '../../schemas/events/index.ts';

/** What the write side needs to know of one document: its last version and what it held. */
export type KnowledgeState =
  | { readonly status: 'missing' }
  | {
      readonly status: 'published' | 'retracted';
      readonly documentId: string;
      readonly version: number;
      readonly contentHash: string;
      readonly tags: readonly string[];
      readonly language: 'ja' | 'en';
    };

export const initialKnowledgeState = (): KnowledgeState => ({ status: 'missing' });

export const evolveKnowledge = (state: KnowledgeState, event: SalesEvent): KnowledgeState => {
  switch (event.type) {
    case 'KnowledgeDocumentPublished':
      return {
        status: 'published',
        documentId: event.data.documentId,
        version: event.data.documentVersion,
        contentHash: event.data.contentHash,
        tags: event.data.tags,
        language: event.data.language,
      };
    case 'KnowledgeDocumentRetracted':
      return state.status === 'missing' ? state : { ...state, status: 'retracted' };
    default:
      return state;
  }
};
