import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError, isAppError } from '../../schemas/errors.ts';
import type { KnowledgeFormat } from '../../schemas/events/index.ts';
import { docxToBody } from './formats/docx.ts';
import { pdfToBody } from './formats/pdf.ts';
import { pptxToBody } from './formats/pptx.ts';
import { knowledgeSource, parseKnowledgeMarkdown } from './markdown.ts';
import type { KnowledgeFailure, KnowledgeSource } from './source.ts';

const formats: Record<string, KnowledgeFormat> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.pptx': 'pptx',
};

/** The file extensions a knowledge document may have. */
export const knowledgeExtensions: readonly string[] = Object.keys(formats);

export const formatOf = (fileName: string): KnowledgeFormat | undefined =>
  formats[path.extname(fileName).toLowerCase()];

const binary: Record<'pdf' | 'docx' | 'pptx', (bytes: Uint8Array) => Promise<string>> = {
  pdf: pdfToBody,
  docx: docxToBody,
  pptx: pptxToBody,
};

/**
 * A knowledge document from a file's bytes, by its extension. Anything wrong with it (an
 * unsupported type, a damaged file, no text) is a VALIDATION error naming `sourcePath`.
 */
export const parseKnowledgeFile = async (bytes: Uint8Array, sourcePath: string): Promise<KnowledgeSource> => {
  const format = formatOf(sourcePath);
  if (!format) {
    throw new AppError(
      'VALIDATION',
      `${sourcePath}: unsupported file type (accepted: ${knowledgeExtensions.join(', ')})`,
      { sourcePath },
    );
  }
  if (format === 'markdown' || format === 'text') {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new AppError('VALIDATION', `${sourcePath}: not UTF-8 text`, { sourcePath });
    }
    return parseKnowledgeMarkdown(text, sourcePath, format);
  }
  let body: string;
  try {
    body = await binary[format](bytes);
  } catch (error) {
    throw new AppError(
      'VALIDATION',
      `${sourcePath}: cannot read this ${format} file: ${(error as Error).message}`,
      {
        sourcePath,
      },
    );
  }
  return knowledgeSource({ body }, sourcePath, format);
};

export const readKnowledgeFile = async (file: string): Promise<KnowledgeSource> =>
  parseKnowledgeFile(await readFile(file), file);

export type KnowledgeDirectory = { sources: KnowledgeSource[]; failures: KnowledgeFailure[] };

/**
 * Every knowledge file directly in `dir` (by extension), in file-name order. A file that
 * cannot be read is a failure that names it; the others are still read. Other files are ignored.
 */
export const readKnowledgeDirectory = async (dir: string): Promise<KnowledgeDirectory> => {
  const names = (await readdir(dir)).filter((name) => formatOf(name) !== undefined).sort();
  const result: KnowledgeDirectory = { sources: [], failures: [] };
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      result.sources.push(await readKnowledgeFile(file));
    } catch (error) {
      if (!isAppError(error, 'VALIDATION')) throw error;
      result.failures.push({ sourcePath: file, message: error.message });
    }
  }
  const seen = new Map<string, string>();
  result.sources = result.sources.filter((source) => {
    const other = seen.get(source.documentId);
    if (other === undefined) return seen.set(source.documentId, source.sourcePath) && true;
    result.failures.push({
      sourcePath: source.sourcePath,
      message: `${source.sourcePath}: same document id (${source.documentId}) as ${other}; rename one of them`,
    });
    return false;
  });
  return result;
};
