import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../schemas/errors.ts';
import { KnowledgeDocumentPublishedData } from '../../schemas/events/index.ts';
import { knowledgeContentHash } from './content-hash.ts';

export type KnowledgeSource = {
  /** The slug of the file name (`objection-price.md` → `objection-price`). */
  documentId: string;
  title: string;
  tags: string[];
  language: 'ja' | 'en';
  body: string;
  contentHash: string;
  sourcePath: string;
};

const FrontMatter = z.object({
  title: z.string().trim().min(1),
  tags: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
  language: z.enum(['ja', 'en']),
});

const frontMatterBlock = /^\uFEFF?---[ \t]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/;

const invalid = (sourcePath: string, problem: string) =>
  new AppError('VALIDATION', `${sourcePath}: ${problem}`, { sourcePath });

/**
 * Parses a knowledge document: YAML front matter (title, tags, language) between `---` lines,
 * then the Markdown body. Line endings are normalised and the body trimmed, so the content
 * hash does not change with the editor that saved the file.
 */
export const parseKnowledgeMarkdown = (text: string, sourcePath: string): KnowledgeSource => {
  const documentId = path.basename(sourcePath).replace(/\.md$/i, '');
  const slug = KnowledgeDocumentPublishedData.shape.documentId.safeParse(documentId);
  if (!slug.success) {
    throw invalid(
      sourcePath,
      `the file name must be a lower-case slug (a-z, 0-9, -, _), got "${documentId}"`,
    );
  }
  const normalized = text.replace(/\r\n?/g, '\n');
  const block = frontMatterBlock.exec(normalized);
  if (!block) throw invalid(sourcePath, 'no front matter: the file must start with a "---" block');
  let raw: unknown;
  try {
    raw = parseYaml(block[1]!);
  } catch (error) {
    throw invalid(sourcePath, `front matter is not valid YAML: ${(error as Error).message}`);
  }
  const frontMatter = FrontMatter.safeParse(raw ?? {});
  if (!frontMatter.success) {
    throw invalid(sourcePath, `bad front matter: ${z.prettifyError(frontMatter.error).replace(/\n/g, '; ')}`);
  }
  const { title, tags, language } = frontMatter.data;
  const body = normalized.slice(block[0].length).trim();
  return {
    documentId,
    title,
    tags,
    language,
    body,
    contentHash: knowledgeContentHash(title, body),
    sourcePath,
  };
};

export const readKnowledgeFile = async (file: string): Promise<KnowledgeSource> =>
  parseKnowledgeMarkdown(await readFile(file, 'utf8'), file);

/** Every `*.md` file directly in `dir`, in file-name order. */
export const readKnowledgeDirectory = async (dir: string): Promise<KnowledgeSource[]> => {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.md')).sort();
  return Promise.all(names.map((name) => readKnowledgeFile(path.join(dir, name))));
};
