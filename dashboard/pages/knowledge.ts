import { Hono } from 'hono';
import { z } from 'zod';
import { type KnowledgeSearchHit, searchKnowledge } from '../../projections/knowledge/search.ts';
import { AppError, isAppError } from '../../schemas/errors.ts';
import { citationCounts, citingSessions } from '../queries/citations.ts';
import { findDocument, listDocuments } from '../queries/documents.ts';
import type { DashboardRuntime } from '../runtime.ts';
import { documentView, knowledgeView } from '../views/knowledge.ts';

const DocumentIdParam = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,127}$/);
const maxQuery = 200;

export const knowledgePages = (rt: DashboardRuntime) => {
  const app = new Hono();

  app.get('/dashboard/knowledge', async (c) => {
    const q = (c.req.query('q') ?? '').trim().slice(0, maxQuery);
    const language = z
      .enum(['ja', 'en'])
      .optional()
      .catch(undefined)
      .parse(c.req.query('language') || undefined);
    const search = { q, language };
    let hits: KnowledgeSearchHit[] | null = null;
    let error: string | undefined;
    if (q) {
      try {
        hits = await searchKnowledge(rt.deps.pool, q, { limit: 20, ...(language ? { language } : {}) });
      } catch (e) {
        if (!isAppError(e, 'VALIDATION')) throw e;
        error = e.message;
        hits = [];
      }
    }
    const [documents, citations] = await Promise.all([
      hits ? Promise.resolve([]) : listDocuments(rt.deps.pool),
      citationCounts(rt.deps.pool),
    ]);
    return c.html(
      knowledgeView(rt.page(c), { search, hits, documents, citations, ...(error ? { error } : {}) }),
    );
  });

  app.get('/dashboard/knowledge/:documentId', async (c) => {
    const id = DocumentIdParam.safeParse(c.req.param('documentId'));
    if (!id.success) throw new AppError('NOT_FOUND', 'not a document id');
    const document = await findDocument(rt.deps.pool, id.data);
    if (!document) throw new AppError('NOT_FOUND', `no document ${id.data}`);
    const [counts, citedBy] = await Promise.all([
      citationCounts(rt.deps.pool, [id.data]),
      citingSessions(rt.deps.pool, id.data),
    ]);
    return c.html(documentView(rt.page(c), { document, citations: counts.get(id.data) ?? 0, citedBy }));
  });

  return app;
};
