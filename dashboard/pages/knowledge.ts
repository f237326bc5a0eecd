import { Hono } from 'hono';
import { z } from 'zod';
import { type KnowledgeSearchHit, searchKnowledge } from '../../projections/knowledge/search.ts';
import { KnowledgeUploadForm, knowledgeUploadPagePath } from '../../schemas/api/knowledge-documents.ts';
import { AppError, isAppError } from '../../schemas/errors.ts';
import { publishKnowledgeUpload, retractKnowledge, tagsFromField } from '../../write/knowledge/upload.ts';
import { requireOpsScope } from '../auth/session-middleware.ts';
import { visibleUserIds } from '../auth/viewer.ts';
import { citationCounts, citingSessions } from '../queries/citations.ts';
import { findDocument, listDocuments } from '../queries/documents.ts';
import type { DashboardRuntime } from '../runtime.ts';
import { documentView, knowledgeView } from '../views/knowledge.ts';
import { documentPath } from '../views/paths.ts';

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
    const page = rt.page(c);
    const published = DocumentIdParam.safeParse(c.req.query('published'));
    const done = published.success ? page.t.uploaded(published.data, c.req.query('result') ?? '') : undefined;
    return c.html(
      knowledgeView(page, {
        search,
        hits,
        documents,
        citations,
        ...(error ? { error } : {}),
        ...(done ? { done } : {}),
      }),
    );
  });

  /** Upload: the same reading and decider as the API and seed-knowledge. */
  app.post(knowledgeUploadPagePath, requireOpsScope(), async (c) => {
    const session = c.get('dashboardSession');
    const actor = { kind: 'ops' as const, id: `dashboard:${session.claims.name}` };
    const form = KnowledgeUploadForm.safeParse(await c.req.parseBody());
    let error: string;
    if (form.success) {
      try {
        const { file, documentId, tags, language, title } = form.data;
        const result = await publishKnowledgeUpload(
          rt.deps,
          {
            fileName: file.name,
            bytes: new Uint8Array(await file.arrayBuffer()),
            documentId,
            title,
            tags: tagsFromField(tags),
            language,
          },
          actor,
        );
        rt.deps.logger.info(
          { documentId: result.documentId, key: session.claims.name },
          'knowledge document uploaded',
        );
        const query = `published=${encodeURIComponent(result.documentId)}&result=${result.status}`;
        return c.redirect(`/dashboard/knowledge?${query}`, 303);
      } catch (e) {
        if (!isAppError(e, 'VALIDATION')) throw e;
        error = e.message;
      }
    } else {
      error = z.prettifyError(form.error).replace(/\n/g, '; ');
    }
    const [documents, citations] = await Promise.all([
      listDocuments(rt.deps.pool),
      citationCounts(rt.deps.pool),
    ]);
    c.status(400);
    return c.html(
      knowledgeView(rt.page(c), {
        search: { q: '', language: undefined },
        hits: null,
        documents,
        citations,
        error,
      }),
    );
  });

  app.post('/dashboard/knowledge/:documentId/retract', requireOpsScope(), async (c) => {
    const id = DocumentIdParam.safeParse(c.req.param('documentId'));
    if (!id.success) throw new AppError('NOT_FOUND', 'not a document id');
    const body = await c.req.parseBody();
    const reason =
      typeof body.reason === 'string' && body.reason.trim() ? body.reason.trim().slice(0, 1000) : '';
    const who = c.get('dashboardSession').claims.name;
    await retractKnowledge(rt.deps, id.data, reason || `retracted from the dashboard by ${who}`, {
      kind: 'ops',
      id: `dashboard:${who}`,
    });
    return c.redirect(`${documentPath(id.data)}?retracted=1`, 303);
  });

  app.get('/dashboard/knowledge/:documentId', async (c) => {
    const id = DocumentIdParam.safeParse(c.req.param('documentId'));
    if (!id.success) throw new AppError('NOT_FOUND', 'not a document id');
    const document = await findDocument(rt.deps.pool, id.data);
    if (!document) throw new AppError('NOT_FOUND', `no document ${id.data}`);
    const [counts, allCitedBy] = await Promise.all([
      citationCounts(rt.deps.pool, [id.data]),
      citingSessions(rt.deps.pool, id.data),
    ]);
    // A Slack-signed-in person sees only the citing sessions of people they may see.
    const visible = await visibleUserIds(rt, c);
    const citedBy = visible ? allCitedBy.filter((s) => visible.includes(s.userId)) : allCitedBy;
    const page = rt.page(c);
    return c.html(
      documentView(page, {
        document,
        citations: counts.get(id.data) ?? 0,
        citedBy,
        ...(c.req.query('retracted') && document.retractedAt ? { done: page.t.retractedNow(id.data) } : {}),
      }),
    );
  });

  return app;
};
