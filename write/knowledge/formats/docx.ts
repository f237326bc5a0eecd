import mammoth from 'mammoth';

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };
const decode = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name) => entities[name] ?? '');
const inline = (html: string) =>
  decode(
    html
      .replace(/<br\s*\/?>/g, '\n')
      .replace(/<\/?(strong|b)>/g, '**')
      .replace(/<[^>]+>/g, ''),
  ).trim();

/**
 * A Word document as Markdown: mammoth maps Word's heading styles to h1–h6, which become
 * Markdown headings (and so passage boundaries); paragraphs, list items and table cells become
 * lines.
 */
export const docxToBody = async (bytes: Uint8Array): Promise<string> => {
  const { value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
  const lines: string[] = [];
  for (const match of html.matchAll(/<(h[1-6]|p|li|td|th)\b[^>]*>([\s\S]*?)<\/\1>/g)) {
    const [, tag = '', content = ''] = match;
    const text = inline(content.replace(/<(p|li|td|th)\b[^>]*>[\s\S]*$/, ''));
    if (!text) continue;
    if (tag.startsWith('h')) lines.push('', `${'#'.repeat(Number(tag[1]))} ${text}`);
    else lines.push(tag === 'li' ? `- ${text}` : text);
  }
  return lines.join('\n').trim();
};
