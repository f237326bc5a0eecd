import type { HintDocument } from '../port.ts';
import { isJapanese, type Language } from './text.ts';

/** How many retrieved documents the mock quotes and cites, at most: the top ones, as retrieval ranked them. */
export const citedDocuments = 3;

/**
 * A document scoring under this share of the best one's score did not answer the question (it
 * shares a word or two with it): the mock neither quotes nor cites it.
 */
export const relevanceFloor = 0.5;

/**
 * The documents the mock cites: the top ones down to the relevance floor. Retrieval ranks by
 * score, so this is a prefix of the list and the numbers [1], [2], … still index it; documents
 * without a score (another retriever) are all kept, as before.
 */
export const citedDocumentsOf = (documents: readonly HintDocument[]): HintDocument[] => {
  const best = documents[0]?.score;
  const cited: HintDocument[] = [];
  for (const doc of documents.slice(0, citedDocuments)) {
    if (best !== undefined && doc.score !== undefined && doc.score < best * relevanceFloor) break;
    cited.push(doc);
  }
  return cited;
};

export type Quote = { phrase: string; quoted: boolean; citation: number };

// Sections that show what *not* to say must never be quoted as advice.
const badSection = /失敗|NG|避け|注意|mistake|avoid|pitfall|don'?t/i;
const phraseSection = /フレーズ|質問|例文|トーク|言い方|phrases?|questions?|examples?|wording|script/i;
// A line a rep can say to a customer ends politely in Japanese, or is a sentence in English.
const spokenJa =
  /(ます|ません|ますか|ませんか|でしょうか|ください|ございますか|ですか|です|ございます)[。]?$/;
const spokenEn = /^\S+(\s+\S+){4,}[?.!]$/;

const stripMarkdown = (line: string) =>
  line
    .replace(/^\s*(?:[-*・]|\d+[.)])\s+/, '')
    .replace(/\*\*|__|`/g, '')
    .trim();

const sectionsOf = (text: string) =>
  text.split(/^(?=#{1,6}\s)/m).map((section) => {
    const first = section.split('\n', 1)[0] ?? '';
    return { heading: first.startsWith('#') ? first : '', text: section };
  });

type Candidate = { phrase: string; quoted: boolean; score: number };

const candidatesOf = (text: string, language: Language): Candidate[] => {
  const out: Candidate[] = [];
  for (const { heading, text: section } of sectionsOf(text)) {
    if (badSection.test(heading)) continue;
    const bonus = phraseSection.test(heading) ? 1 : 0;
    const quotes = language === 'ja' ? /「([^「」\n]{12,90})」/g : /["“]([^"”\n]{20,240})["”]/g;
    for (const m of section.matchAll(quotes)) {
      const phrase = stripMarkdown(m[1] ?? '');
      if (isJapanese(phrase) !== (language === 'ja')) continue;
      if (!(language === 'ja' ? spokenJa : spokenEn).test(phrase)) continue;
      out.push({ phrase, quoted: true, score: 2 + bonus });
    }
    for (const line of section.split('\n')) {
      if (!/^\s*(?:[-*・]|\d+[.)])\s+/.test(line) || /\[[ x]\]|[「"“]/.test(line)) continue;
      const phrase = stripMarkdown(line);
      if (phrase.length < 12 || phrase.length > 140 || isJapanese(phrase) !== (language === 'ja')) continue;
      out.push({ phrase, quoted: false, score: bonus });
    }
  }
  return out;
};

const normalise = (s: string) => s.replace(/[\s「」"“”。、,.?？!！:：]/g, '').toLowerCase();

/** Near-duplicates count as said: the same opening words are enough. */
const alreadySaid = (phrase: string, said: string) => said.includes(normalise(phrase).slice(0, 12));

/**
 * Up to one phrase per top document that the reply does not already contain (`said`): a quoted
 * example in the reply's language, else a list item, else a quoted example in the other language
 * (a rep writing in English may still need the Japanese wording for the customer).
 */
export const phrasesFromDocuments = (
  documents: HintDocument[],
  language: Language,
  said: string,
): Quote[] => {
  let seen = normalise(said);
  const other: Language = language === 'ja' ? 'en' : 'ja';
  const out: Quote[] = [];
  citedDocumentsOf(documents).forEach((doc, i) => {
    const source = doc.body ?? doc.snippet;
    const fresh = (list: Candidate[]) =>
      list
        .filter((c) => !alreadySaid(c.phrase, seen))
        .reduce<Candidate | undefined>((best, c) => (!best || c.score > best.score ? c : best), undefined);
    const pickOne =
      fresh(candidatesOf(source, language)) ?? fresh(candidatesOf(source, other).filter((c) => c.quoted));
    if (!pickOne) return;
    out.push({ phrase: pickOne.phrase, quoted: pickOne.quoted, citation: i + 1 });
    seen += normalise(pickOne.phrase);
  });
  return out;
};

export const citationLines = (documents: HintDocument[]): string[] =>
  citedDocumentsOf(documents).map(
    (doc, i) => `[${i + 1}] ${doc.title}${doc.section ? ` › ${doc.section}` : ''}`,
  );
