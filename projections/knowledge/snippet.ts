import { type Token, tokenizeWithOffsets } from './tokenize.ts';

/** A range of a snippet that matched a query term (UTF-16 offsets into `text`, end exclusive). */
export type Highlight = { start: number; end: number };
export type Snippet = { text: string; highlights: Highlight[] };

const ellipsis = '…';
/** How far back from the first hit a sentence start may be and still begin the snippet. */
const maxLead = 40;

const isSentenceEnd = (text: string, i: number) =>
  text[i] === '\n' || /[。！？!?]/.test(text[i] ?? '') || (text[i] === '.' && /\s/.test(text[i + 1] ?? ''));

/** Never split a surrogate pair. */
const safe = (text: string, i: number) => (/[\uDC00-\uDFFF]/.test(text[i] ?? '') ? i - 1 : i);

/** Latin text is cut between words; Japanese may be cut between any two characters. */
const wordStart = (text: string, i: number, limit: number) => {
  if (!/[a-z0-9]/i.test(text[i - 1] ?? '') || !/[a-z0-9]/i.test(text[i] ?? '')) return i;
  for (let j = i; j < limit; j++) if (/\s/.test(text[j]!)) return j + 1;
  return i;
};
const wordEnd = (text: string, i: number, floor: number) => {
  if (!/[a-z0-9]/i.test(text[i - 1] ?? '') || !/[a-z0-9]/i.test(text[i] ?? '')) return i;
  for (let j = i; j > floor; j--) if (/\s/.test(text[j - 1]!)) return j - 1;
  return i;
};

/** Where the window with the most distinct terms (then the most hits) starts: one pass, two pointers. */
const bestWindowStart = (hits: readonly Token[], width: number): number => {
  const counts = new Map<string, number>();
  let best = { distinct: -1, count: -1, start: 0 };
  let last = 0;
  for (let first = 0; first < hits.length; first++) {
    const start = hits[first]!.start;
    while (last < hits.length && (last <= first || hits[last]!.end <= start + width)) {
      const term = hits[last]!.term;
      counts.set(term, (counts.get(term) ?? 0) + 1);
      last++;
    }
    const count = last - first;
    if (counts.size > best.distinct || (counts.size === best.distinct && count > best.count)) {
      best = { distinct: counts.size, count, start };
    }
    const term = hits[first]!.term;
    const left = (counts.get(term) ?? 1) - 1;
    if (left === 0) counts.delete(term);
    else counts.set(term, left);
  }
  return best.start;
};

const merge = (ranges: Highlight[]): Highlight[] => {
  const merged: Highlight[] = [];
  for (const range of [...ranges].sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
};

/**
 * The window of about `width` characters of `plain` with the most distinct query terms (then
 * the most hits), started at a sentence start when one is near and ended at a sentence end
 * when one is in the last third; elsewhere cut at a character (Japanese) or word (Latin)
 * boundary with an ellipsis. Line breaks become spaces.
 */
export const makeSnippet = (plain: string, queryTerms: ReadonlySet<string>, width = 120): Snippet => {
  const hits = tokenizeWithOffsets(plain).filter((t) => queryTerms.has(t.term));
  const anchor = hits.length === 0 ? 0 : bestWindowStart(hits, width);
  const anchorEnd = hits.find((h) => h.start === anchor)?.end ?? anchor;
  let start = anchor;
  let startsSentence = false;
  for (let i = anchor; i >= Math.max(0, anchor - maxLead); i--) {
    if (i === 0 || isSentenceEnd(plain, i - 1)) {
      start = i;
      startsSentence = true;
      break;
    }
  }
  if (!startsSentence) start = wordStart(plain, safe(plain, Math.max(0, anchor - 10)), anchor);
  while (start < anchor && /\s/.test(plain[start]!)) start++;

  let end = Math.min(plain.length, start + width);
  let endsSentence = end === plain.length;
  if (!endsSentence) {
    for (let i = end - 1; i >= Math.max(start + (width * 2) / 3, anchorEnd); i--) {
      if (isSentenceEnd(plain, i)) {
        end = plain[i] === '\n' ? i : i + 1;
        endsSentence = true;
        break;
      }
    }
  }
  if (!endsSentence) end = wordEnd(plain, safe(plain, end), anchorEnd);

  const prefix = startsSentence || start === 0 ? '' : ellipsis;
  const suffix = endsSentence ? '' : ellipsis;
  const body = plain.slice(start, end).replace(/\n/g, ' ');
  const highlights = merge(
    hits
      .filter((h) => h.start >= start && h.end <= end)
      .map((h) => ({ start: h.start - start + prefix.length, end: h.end - start + prefix.length })),
  );
  return { text: `${prefix}${body}${suffix}`, highlights };
};

/**
 * The snippet as Slack mrkdwn with the hits in bold. Slack only honours `*` next to a space or
 * punctuation, which Japanese text lacks, so each marker is fenced with a zero-width space.
 */
export const snippetToSlackMrkdwn = ({ text, highlights }: Snippet): string => {
  const escapeMrkdwn = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\*/g, '＊');
  let out = '';
  let at = 0;
  for (const { start, end } of highlights) {
    out += `${escapeMrkdwn(text.slice(at, start))}\u200B*${escapeMrkdwn(text.slice(start, end))}*\u200B`;
    at = end;
  }
  return out + escapeMrkdwn(text.slice(at));
};
