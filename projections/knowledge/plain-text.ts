/**
 * Markdown reduced to the words a reader sees, one line per source line, for snippets:
 * heading marks, list bullets, check boxes, emphasis, code ticks and link targets go.
 */
export const markdownToPlain = (markdown: string): string =>
  markdown
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .replace(/^\s*#{1,6}\s+/, '')
        .replace(/^\s*>\s?/, '')
        .replace(/^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?/, '')
        .replace(/^\s*\|?\s*:?-{3,}.*$/, '')
        .replace(/\s*\|\s*/g, ' ')
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/(\*\*|__|`)/g, '')
        .trim(),
    )
    .filter((line) => line.length > 0)
    .join('\n');
