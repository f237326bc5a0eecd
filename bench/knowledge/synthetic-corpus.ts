import { passagesOf } from '../../projections/knowledge/passages.ts';
import type { SalesEvent } from '../../schemas/events/index.ts';
import { publishedEvents } from '../../test/knowledge/corpus.ts';
import { knowledgeContentHash } from '../../write/knowledge/content-hash.ts';
import type { KnowledgeSource } from '../../write/knowledge/source.ts';

/** A small deterministic PRNG (mulberry32), so every run searches the same corpus. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/**
 * Documents made of the starter documents' sections, each section's lines shuffled and mixed
 * with lines of another section: the vocabulary, language mix and section lengths of real
 * sales knowledge, in the number of passages a large team's knowledge base reaches.
 */
export const syntheticCorpus = (starter: readonly KnowledgeSource[], passages: number): SalesEvent[] => {
  const next = random(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const sections = starter.flatMap((doc) =>
    passagesOf(doc.body).map((p) => ({
      doc,
      heading: p.heading ?? doc.title,
      lines: p.text.split('\n').slice(1),
    })),
  );
  const sources: KnowledgeSource[] = [];
  const perDocument = 10;
  for (let d = 0; d * perDocument < passages; d++) {
    const base = pick(starter);
    const parts: string[] = [];
    for (let s = 0; s < perDocument; s++) {
      const section = pick(sections);
      const other = pick(sections);
      const lines = [...section.lines, ...other.lines.slice(0, 3)].sort(() => next() - 0.5);
      parts.push(`## ${section.heading}\n${lines.join('\n')}`);
    }
    const title = `${base.title} (${d + 1})`;
    const body = parts.join('\n\n');
    sources.push({
      ...base,
      documentId: `synthetic-${d + 1}`,
      title,
      body,
      contentHash: knowledgeContentHash(title, body),
      sourcePath: `synthetic/${d + 1}.md`,
      format: 'markdown',
    });
  }
  return publishedEvents(sources);
};
