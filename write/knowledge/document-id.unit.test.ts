import { describe, expect, it } from 'vitest';
import { KnowledgeDocumentPublishedData } from '../../schemas/events/index.ts';
import { documentIdOf } from './document-id.ts';

describe('document ids from file names', () => {
  it('slugs a Latin name and keeps ids valid for every name', () => {
    expect(documentIdOf('knowledge/objection-price.md')).toBe('objection-price');
    expect(documentIdOf('Q3 Pricing Deck (final).PPTX')).toBe('q3-pricing-deck-final');
    expect(documentIdOf('ＦＡＱ＿２０２６.pdf')).toBe('faq_2026');
    for (const name of ['製品資料.pdf', '提案書_v2.docx', '---.md', 'été.txt']) {
      expect(KnowledgeDocumentPublishedData.shape.documentId.safeParse(documentIdOf(name)).success).toBe(
        true,
      );
    }
  });

  it('never gives two names that differ only outside the slug the same id', () => {
    expect(documentIdOf('提案書_v2.docx')).toMatch(/^v2-[a-f0-9]{10}$/);
    expect(documentIdOf('提案書_v2.docx')).not.toBe(documentIdOf('製品資料_v2.docx'));
    expect(documentIdOf('製品資料.pdf')).toBe(documentIdOf('製品資料.docx'));
  });
});
