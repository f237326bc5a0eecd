import { html } from 'hono/html';
import type { Html } from './html.ts';

/**
 * A small Markdown renderer for the knowledge documents: headings, paragraphs, lists (nested
 * by indentation, ordered or not, with task boxes), quotes, fenced code, `**bold**` and
 * `` `code` ``. Every piece of text goes through hono/html's escaping; no HTML in a document
 * is ever passed through. Anything it does not know is shown as text.
 */

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; lines: string[] }
  | { kind: 'list'; ordered: boolean; items: ListItem[] }
  | { kind: 'quote'; lines: string[] }
  | { kind: 'code'; text: string };
type ListItem = { text: string; children: ListItem[]; ordered: boolean };

const listLine = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/;

/** `**bold**` and `` `code` ``, everything else text. */
export const inline = (text: string): Html[] => {
  const out: Html[] = [];
  const pattern = /\*\*(.+?)\*\*|`([^`]+)`/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) out.push(html`${text.slice(last, match.index)}`);
    out.push(match[1] !== undefined ? html`<strong>${match[1]}</strong>` : html`<code>${match[2]}</code>`);
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(html`${text.slice(last)}`);
  return out;
};

const itemText = (text: string): Html[] => {
  const task = /^\[( |x|X)\]\s+(.*)$/.exec(text);
  if (!task) return inline(text);
  return [
    html`<span class="task" aria-hidden="true">${task[1] === ' ' ? '☐' : '☑'}</span> `,
    ...inline(task[2]!),
  ];
};

const parseList = (lines: readonly string[]): ListItem[] => {
  const root: ListItem[] = [];
  const stack: { indent: number; items: ListItem[] }[] = [{ indent: -1, items: root }];
  for (const line of lines) {
    const match = listLine.exec(line);
    if (!match) {
      // A continuation line belongs to the last item.
      const items = stack.at(-1)!.items;
      const last = items.at(-1);
      if (last) last.text += ` ${line.trim()}`;
      continue;
    }
    const indent = match[1]!.length;
    while (stack.length > 1 && indent <= stack.at(-1)!.indent) stack.pop();
    const parent = stack.at(-1)!;
    const item: ListItem = { text: match[3]!, children: [], ordered: /\d/.test(match[2]!) };
    const owner = parent.items;
    owner.push(item);
    stack.push({ indent, items: item.children });
  }
  return root;
};

const parse = (markdown: string): Block[] => {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = /^```/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !/^```/.test(lines[i]!)) body.push(lines[i++]!);
      i++;
      blocks.push({ kind: 'code', text: body.join('\n') });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]!.trim() });
      i++;
      continue;
    }
    if (listLine.test(line)) {
      const body: string[] = [];
      while (
        i < lines.length &&
        lines[i]!.trim() !== '' &&
        (listLine.test(lines[i]!) || /^\s+/.test(lines[i]!))
      )
        body.push(lines[i++]!);
      blocks.push({ kind: 'list', ordered: /^\s*\d/.test(line), items: parseList(body) });
      continue;
    }
    if (line.startsWith('>')) {
      const body: string[] = [];
      while (i < lines.length && lines[i]!.startsWith('>')) body.push(lines[i++]!.replace(/^>\s?/, ''));
      blocks.push({ kind: 'quote', lines: body });
      continue;
    }
    const body: string[] = [];
    while (
      i < lines.length &&
      lines[i]!.trim() !== '' &&
      !/^(#{1,6}\s|```|>)/.test(lines[i]!) &&
      !listLine.test(lines[i]!)
    )
      body.push(lines[i++]!);
    blocks.push({ kind: 'paragraph', lines: body });
  }
  return blocks;
};

const joinLines = (lines: readonly string[]): Html[] =>
  lines.flatMap((l, index) => (index === 0 ? inline(l) : [html`<br>`, ...inline(l)]));

const renderList = (items: readonly ListItem[], ordered: boolean): Html => {
  const children = items.map(
    (item) =>
      html`<li>${itemText(item.text)}${item.children.length ? renderList(item.children, item.children[0]!.ordered) : ''}</li>`,
  );
  return ordered ? html`<ol>${children}</ol>` : html`<ul>${children}</ul>`;
};

/** Headings start at h2: the page's own title (the document's) is the h1. */
export const renderMarkdown = (markdown: string): Html => {
  const parts = parse(markdown).map((block): Html => {
    switch (block.kind) {
      case 'heading': {
        const level = Math.min(6, Math.max(2, block.level));
        const content = inline(block.text);
        // The tag name comes from a number, never from the text.
        if (level === 2) return html`<h2>${content}</h2>`;
        if (level === 3) return html`<h3>${content}</h3>`;
        if (level === 4) return html`<h4>${content}</h4>`;
        if (level === 5) return html`<h5>${content}</h5>`;
        return html`<h6>${content}</h6>`;
      }
      case 'paragraph':
        return html`<p>${joinLines(block.lines)}</p>`;
      case 'quote':
        return html`<blockquote><p>${joinLines(block.lines)}</p></blockquote>`;
      case 'code':
        return html`<pre><code>${block.text}</code></pre>`;
      case 'list':
        return renderList(block.items, block.ordered);
      default: {
        const exhaustive: never = block;
        return exhaustive;
      }
    }
  });
  return html`<div class="markdown">${parts}</div>`;
};
