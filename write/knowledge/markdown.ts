import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../schemas/errors.ts';
import type { KnowledgeFormat } from '../../schemas/events/index.ts';
import { detectLanguage } from '../agent/language.ts';
import { knowledgeContentHash } from './content-hash.ts';
import { documentIdOf, titleOfFileName } from './document-id.ts';
import type { KnowledgeSource } from './source.ts';

const FrontMatter = z.object({
  title: z.string().trim().min(1).optional(),
  tags: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
  language: z.enum(['ja', 'en']).optional(),
});

const frontMatterBlock = /^\uFEFF?---[ \t]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/;

const invalid = (sourcePath: string, problem: string) =>
  new AppError('VALIDATION', `${sourcePath}: ${problem}`, { sourcePath });

const readFrontMatter = (block: string, sourcePath: string) => {
  let raw: unknown;
  try {
    raw = parseYaml(block);
  } catch (error) {
    throw invalid(sourcePath, `front matter is not valid YAML: ${(error as Error).message}`);
  }
  const frontMatter = FrontMatter.safeParse(raw ?? {});
  if (!frontMatter.success) {
    throw invalid(sourcePath, `bad front matter: ${z.prettifyError(frontMatter.error).replace(/\n/g, '; ')}`);
  }
  return frontMatter.data;
};

/** The text of the first Markdown heading, if any. */
export const firstHeading = (markdown: string): string | undefined =>
  /^#{1,6}[ \t]+(.+?)[ \t#]*$/m
    .exec(markdown)?.[1]
    ?.replace(/\*\*|__|`/g, '')
    .trim() || undefined;

export type DocumentParts = {
  body: string;
  title?: string | undefined;
  tags?: string[];
  language?: 'ja' | 'en' | undefined;
};

/**
 * A source from its parts: what is not given is derived — the title from the first heading,
 * else the file name; the language from the text; no tags.
 */
export const knowledgeSource = (
  parts: DocumentParts,
  sourcePath: string,
  format: KnowledgeFormat,
): KnowledgeSource => {
  const body = parts.body.trim();
  const headed = format === 'markdown' || format === 'docx' || format === 'pptx';
  const title = parts.title ?? (headed ? firstHeading(body) : undefined) ?? titleOfFileName(sourcePath);
  if (!body) throw invalid(sourcePath, 'no text found (a scanned document needs OCR first)');
  return {
    documentId: documentIdOf(sourcePath),
    title,
    tags: parts.tags ?? [],
    language: parts.language ?? detectLanguage(`${title}\n${body.slice(0, 4000)}`),
    body,
    contentHash: knowledgeContentHash(title, body),
    sourcePath,
    format,
  };
};

/**
 * Parses a Markdown or plain-text knowledge document. Optional YAML front matter between `---`
 * lines may set the title, tags and language; without it the title is the first heading or the
 * file name and the language is detected. Line endings are normalised and the body trimmed, so
 * the content hash does not change with the editor that saved the file.
 */
export const parseKnowledgeMarkdown = (
  text: string,
  sourcePath: string,
  format: 'markdown' | 'text' = 'markdown',
): KnowledgeSource => {
  const normalized = text.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '');
  const block = frontMatterBlock.exec(normalized);
  const frontMatter = block ? readFrontMatter(block[1]!, sourcePath) : undefined;
  const body = block ? normalized.slice(block[0].length) : normalized;
  return knowledgeSource(
    {
      body,
      title: frontMatter?.title,
      ...(frontMatter ? { tags: frontMatter.tags } : {}),
      language: frontMatter?.language,
    },
    sourcePath,
    format,
  );
};
