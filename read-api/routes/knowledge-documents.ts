import { Hono } from 'hono';
import { z } from 'zod';
import { ErrorBody } from '../../schemas/api/errors.ts';
import {
  KnowledgeDocumentPublishResult,
  KnowledgeDocumentRetractResult,
  KnowledgeRetractQuery,
  KnowledgeUploadForm,
  knowledgeUploadApiPath,
  knowledgeUploadMaxBytes,
} from '../../schemas/api/knowledge-documents.ts';
import { AppError } from '../../schemas/errors.ts';
import { KnowledgeDocumentPublishedData } from '../../schemas/events/index.ts';
import {
  type KnowledgeWriterDeps,
  publishKnowledgeUpload,
  retractKnowledge,
  tagsFromField,
} from '../../write/knowledge/upload.ts';
import { payloadLimit } from '../middleware/payload-limit/index.ts';
import { requireScope } from '../middleware/require-scope/index.ts';
import type { ApiRouteSpec } from '../openapi/registry.ts';

const DocumentIdParam = z.object({ id: KnowledgeDocumentPublishedData.shape.documentId.max(128) });

const invalid = (error: z.ZodError) =>
  new AppError('VALIDATION', z.prettifyError(error).replace(/\n/g, '; '));

/**
 * Publishing and retracting knowledge documents over HTTP (ops): an upload goes through the
 * same reading and the same knowledge decider as `salesai seed-knowledge`, so the read model
 * and search follow from the KnowledgeDocumentPublished / Retracted events it appends.
 */
export const knowledgeDocumentRoutes = (deps: KnowledgeWriterDeps) => {
  const app = new Hono();
  const ops = requireScope({ scope: 'ops' });
  const actor = (c: { get: (key: 'apiKey') => { name: string } | undefined }) => ({
    kind: 'ops' as const,
    id: `api:${c.get('apiKey')?.name ?? 'unknown'}`,
  });

  app.post(knowledgeUploadApiPath, ops, payloadLimit({ maxBytes: knowledgeUploadMaxBytes }), async (c) => {
    if (!(c.req.header('Content-Type') ?? '').startsWith('multipart/form-data')) {
      throw new AppError('VALIDATION', 'expected multipart/form-data with a "file" field');
    }
    const form = KnowledgeUploadForm.safeParse(await c.req.parseBody());
    if (!form.success) throw invalid(form.error);
    const { file, documentId, title, tags, language } = form.data;
    const result = await publishKnowledgeUpload(
      deps,
      {
        fileName: file.name,
        bytes: new Uint8Array(await file.arrayBuffer()),
        documentId,
        title,
        tags: tagsFromField(tags),
        language,
      },
      actor(c),
    );
    return c.json(result, result.status === 'unchanged' ? 200 : 201);
  });

  app.delete('/api/v1/knowledge/documents/:id', ops, async (c) => {
    const params = DocumentIdParam.safeParse(c.req.param());
    if (!params.success) throw invalid(params.error);
    const query = KnowledgeRetractQuery.safeParse(c.req.query());
    if (!query.success) throw invalid(query.error);
    const who = actor(c);
    const result = await retractKnowledge(
      deps,
      params.data.id,
      query.data.reason ?? `retracted through the API by ${who.id.slice('api:'.length)}`,
      who,
    );
    return c.json(result);
  });
  return app;
};

export const knowledgeDocumentRouteSpecs: readonly ApiRouteSpec[] = [
  {
    method: 'post',
    path: '/api/v1/knowledge/documents',
    summary:
      'Publish a knowledge document from a file: Markdown, text, PDF, Word or PowerPoint (up to 20 MB)',
    description:
      'Split into passages (sections, pages, slides) for search. A new id is version 1, a known one its next ' +
      'version; the same content again changes nothing (200, status unchanged).',
    tags: ['knowledge'],
    security: 'ops',
    body: KnowledgeUploadForm,
    bodyContentType: 'multipart/form-data',
    responses: {
      201: {
        description: 'Published (a new document or a new version)',
        schema: KnowledgeDocumentPublishResult,
      },
      200: { description: 'Already published with this content', schema: KnowledgeDocumentPublishResult },
      400: { description: 'No file, an unsupported or unreadable file, or a bad field', schema: ErrorBody },
      413: { description: 'The file is larger than 20 MB', schema: ErrorBody },
    },
  },
  {
    method: 'delete',
    path: '/api/v1/knowledge/documents/:id',
    summary:
      'Retract a knowledge document: search and the coach stop using it (publishing it again brings it back)',
    tags: ['knowledge'],
    security: 'ops',
    params: DocumentIdParam,
    query: KnowledgeRetractQuery,
    responses: {
      200: { description: 'Retracted (or already retracted)', schema: KnowledgeDocumentRetractResult },
      404: { description: 'No document was ever published with this id', schema: ErrorBody },
    },
  },
];
