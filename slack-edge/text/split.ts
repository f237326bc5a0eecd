/**
 * Slack's limits: a section block's text holds 3,000 characters, a message 50 blocks, and a
 * message's `text` should stay under 4,000. Long replies are split into pieces that respect
 * them, at the most natural boundary available.
 */
export const sectionTextLimit = 3000;

const fence = '```';

/** Where to cut `text` at or before `limit`: paragraph, line, sentence, word, else anywhere. */
const cutPoint = (text: string, limit: number): number => {
  const window = text.slice(0, limit);
  const floor = Math.floor(limit * 0.5);
  const candidates = [
    window.lastIndexOf('\n\n'),
    window.lastIndexOf('\n'),
    Math.max(
      ...['。', '！', '？', '. ', '! ', '? '].map((s) => window.lastIndexOf(s) + s.trimEnd().length - 1),
    ),
    window.lastIndexOf(' '),
  ];
  for (const at of candidates) if (at >= floor) return at + 1;
  // Never split a surrogate pair.
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
};

const opensCode = (piece: string) => (piece.match(/^\s*```/gm)?.length ?? 0) % 2 === 1;

/**
 * Splits text into pieces of at most `limit` characters (UTF-16 units, which never undercount
 * Slack's characters). A code block cut in two is closed and reopened, so both halves render.
 */
export const splitText = (text: string, limit = sectionTextLimit): string[] => {
  if (limit < 16) throw new Error('limit too small to split');
  const pieces: string[] = [];
  let rest = text.trim();
  let reopen = false;
  while (rest.length > 0) {
    const head = reopen ? `${fence}\n` : '';
    const budget = limit - head.length;
    if (rest.length <= budget) {
      pieces.push(head + rest);
      break;
    }
    // Room for a closing fence, in case this piece ends inside a code block.
    let at = cutPoint(rest, budget - fence.length - 1);
    let piece = head + rest.slice(0, at).trimEnd();
    if (piece.trim() === '' || piece.trim() === fence) {
      at = budget - fence.length - 1;
      piece = head + rest.slice(0, at);
    }
    reopen = opensCode(piece);
    pieces.push(reopen ? `${piece}\n${fence}` : piece);
    rest = rest.slice(at).replace(/^\n+/, '');
  }
  return pieces;
};
