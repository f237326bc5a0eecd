import { type KnowledgeFormat, knowledgePageBreak } from '../../schemas/events/index.ts';

/** A part of a document that a search hit and a citation can point at. */
export type Passage = {
  /** 1, 2, … in document order. */
  passageNo: number;
  /** The section heading (Markdown, Word) or slide title, without marks. */
  heading: string | null;
  /** The PDF page it is on. */
  page: number | null;
  /** The presentation slide it is. */
  slide: number | null;
  /** Markdown text of the passage, its heading line included. */
  text: string;
};

/** Sections longer than this are cut between paragraphs, so a hit is a readable part. */
const maxChars = 1600;
const headingLine = /^(#{1,3})[ \t]+(.+?)[ \t#]*$/;

const cleanHeading = (heading: string) => heading.replace(/\*\*|__|`/g, '').trim();

/** Cuts text between paragraphs (else lines) into parts of at most about `maxChars`. */
const chunks = (text: string): string[] => {
  if (text.length <= maxChars) return [text];
  const out: string[] = [];
  let current = '';
  for (const paragraph of text.split(/\n(?=\s*\n)|\n(?=[-*] |\d+[.)] )/)) {
    if (current && current.length + paragraph.length > maxChars) {
      out.push(current.trim());
      current = '';
    }
    current += `${paragraph}\n`;
  }
  if (current.trim()) out.push(current.trim());
  return out;
};

type Part = Omit<Passage, 'passageNo'>;

/** Markdown sections at headings of levels 1–3 (deeper headings stay inside their section). */
const sections = (markdown: string, base: Omit<Part, 'text' | 'heading'>): Part[] => {
  const out: Part[] = [];
  let heading: string | null = null;
  let lines: string[] = [];
  const flush = () => {
    const text = lines.join('\n').trim();
    // A heading with nothing under it (a title above the first section) is no passage.
    const onlyHeading = lines.filter((l) => l.trim()).every((l) => headingLine.test(l));
    if (text && !onlyHeading) for (const chunk of chunks(text)) out.push({ ...base, heading, text: chunk });
    lines = [];
  };
  for (const line of markdown.split('\n')) {
    const match = headingLine.exec(line);
    if (match) {
      flush();
      heading = cleanHeading(match[2]!);
    }
    lines.push(line);
  }
  flush();
  return out;
};

/**
 * A document's passages: a PDF page by page, a presentation slide by slide, Markdown and Word
 * by section, plain text by paragraphs; each long part is cut again between paragraphs.
 */
export const passagesOf = (body: string, format: KnowledgeFormat = 'markdown'): Passage[] => {
  let parts: Part[];
  if (format === 'pdf' || format === 'pptx') {
    parts = body.split(knowledgePageBreak).flatMap((page, i) => {
      const n = i + 1;
      const located = { page: format === 'pdf' ? n : null, slide: format === 'pptx' ? n : null };
      if (format === 'pptx') return sections(page, located);
      return chunks(page.trim())
        .filter(Boolean)
        .map((text) => ({ ...located, heading: null, text }));
    });
  } else if (format === 'text') {
    parts = chunks(body.trim())
      .filter(Boolean)
      .map((text) => ({ heading: null, page: null, slide: null, text }));
  } else {
    parts = sections(body, { page: null, slide: null });
  }
  return parts.map((part, i) => ({ passageNo: i + 1, ...part }));
};

/** How a citation names a passage: its page, its slide, or its section heading. */
export const sectionLabel = (passage: Pick<Passage, 'heading' | 'page' | 'slide'>): string | null => {
  if (passage.page !== null) return `p. ${passage.page}`;
  if (passage.slide !== null)
    return passage.heading ? `slide ${passage.slide}: ${passage.heading}` : `slide ${passage.slide}`;
  return passage.heading;
};
