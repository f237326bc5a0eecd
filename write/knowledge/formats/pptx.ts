import { DOMParser, type Element } from '@xmldom/xmldom';
import JSZip from 'jszip';
import { knowledgePageBreak } from '../../../schemas/events/index.ts';

const relationships = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

const parse = async (zip: JSZip, name: string) => {
  const file = zip.file(name);
  if (!file) throw new Error(`not a PowerPoint file: ${name} is missing`);
  return new DOMParser().parseFromString(await file.async('string'), 'text/xml');
};

const paragraphs = (node: Element): string[] =>
  Array.from(node.getElementsByTagName('a:p'))
    .map((p) =>
      Array.from(p.getElementsByTagName('a:t'))
        .map((t) => t.textContent ?? '')
        .join('')
        .trim(),
    )
    .filter((text) => text.length > 0);

const isTitle = (shape: Element) =>
  Array.from(shape.getElementsByTagName('p:ph')).some((ph) =>
    ['title', 'ctrTitle'].includes(ph.getAttribute('type') ?? ''),
  );

/** One slide as Markdown: its title (the title placeholder, else its first line) as a heading. */
const slideText = (slide: Element): string => {
  const shapes = Array.from(slide.getElementsByTagName('p:sp'));
  const titleShape = shapes.find(isTitle);
  const title = titleShape ? paragraphs(titleShape).join(' ') : '';
  const lines = shapes
    .filter((shape) => shape !== titleShape)
    .flatMap(paragraphs)
    .concat(Array.from(slide.getElementsByTagName('p:graphicFrame')).flatMap(paragraphs));
  const heading = title || lines.shift() || '';
  return [heading ? `## ${heading}` : '', ...lines].filter(Boolean).join('\n');
};

/**
 * The text of each slide in presentation order (the order of `sldIdLst`, not of the file
 * names), joined by a page break, so a passage can name its slide number.
 */
export const pptxToBody = async (bytes: Uint8Array): Promise<string> => {
  const zip = await JSZip.loadAsync(bytes);
  const presentation = await parse(zip, 'ppt/presentation.xml');
  const rels = await parse(zip, 'ppt/_rels/presentation.xml.rels');
  const targets = new Map(
    Array.from(rels.getElementsByTagName('Relationship')).map((r) => [
      r.getAttribute('Id') ?? '',
      r.getAttribute('Target') ?? '',
    ]),
  );
  const slides: string[] = [];
  for (const id of Array.from(presentation.getElementsByTagName('p:sldId'))) {
    const target = targets.get(id.getAttributeNS(relationships, 'id') ?? '');
    if (!target) continue;
    const slide = await parse(zip, `ppt/${target.replace(/^\/?ppt\//, '').replace(/^\//, '')}`);
    slides.push(slide.documentElement ? slideText(slide.documentElement) : '');
  }
  return slides.join(knowledgePageBreak);
};
