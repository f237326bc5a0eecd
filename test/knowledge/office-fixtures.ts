import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import pptxgenjs from 'pptxgenjs';

// Typed as CommonJS (`{ default }`), loaded as ESM (the class itself), depending on the loader.
const PptxGenJS = ((pptxgenjs as { default?: unknown }).default ?? pptxgenjs) as typeof pptxgenjs.default;

/**
 * Small real office files, made by the libraries people's tools are built on: a PDF with one
 * text per page (the standard fonts carry Latin text only), a Word document with heading
 * styles, and a presentation whose slides have title placeholders.
 */
export const makePdf = async (pages: readonly string[]): Promise<Uint8Array> => {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = pdf.addPage([400, 300]);
    text.split('\n').forEach((line, i) => {
      page.drawText(line, { x: 20, y: 260 - i * 14, size: 10, font });
    });
  }
  return pdf.save();
};

export type Section = { heading: string; level?: 1 | 2; paragraphs: readonly string[] };

export const makeDocx = async (sections: readonly Section[]): Promise<Uint8Array> => {
  const children = sections.flatMap((s) => [
    new Paragraph({
      text: s.heading,
      heading: s.level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_1,
    }),
    ...s.paragraphs.map((p) => new Paragraph(p)),
  ]);
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children }] })));
};

export type Slide = { title: string; lines: readonly string[] };

export const makePptx = async (slides: readonly Slide[]): Promise<Uint8Array> => {
  const deck = new PptxGenJS();
  // A layout with a title placeholder, as PowerPoint's own layouts have.
  deck.defineSlideMaster({
    title: 'TITLED',
    objects: [
      { placeholder: { options: { name: 'title', type: 'title', x: 0.5, y: 0.3, w: 9, h: 1 }, text: '' } },
    ],
  });
  for (const s of slides) {
    const slide = deck.addSlide({ masterName: 'TITLED' });
    // Body text first in the shape tree: the title is found by its placeholder, not its place.
    s.lines.forEach((line, i) => {
      slide.addText(line, { x: 0.5, y: 1.5 + i * 0.6, w: 9, h: 0.5, fontSize: 16 });
    });
    slide.addText(s.title, { placeholder: 'title' });
  }
  const out = await deck.write({ outputType: 'uint8array' });
  return out as Uint8Array;
};
