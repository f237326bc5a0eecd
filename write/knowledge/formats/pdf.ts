import { extractText } from 'unpdf';
import { knowledgePageBreak } from '../../../schemas/events/index.ts';

/** The text of each page, in order, joined by a page break (pages keep their numbers). */
export const pdfToBody = async (bytes: Uint8Array): Promise<string> => {
  // pdf.js takes ownership of the buffer it is given: pass a copy.
  const { text } = await extractText(new Uint8Array(bytes), { mergePages: false });
  return text.map((page) => page.replace(/\r\n?/g, '\n').trim()).join(knowledgePageBreak);
};
