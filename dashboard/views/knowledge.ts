import { html } from 'hono/html';
import type { KnowledgeSearchHit } from '../../projections/knowledge/search.ts';
import { knowledgeUploadPagePath } from '../../schemas/api/knowledge-documents.ts';
import type { CitingSession } from '../queries/citations.ts';
import type { DocumentDetail, DocumentSummary } from '../queries/documents.ts';
import { notice } from './components.ts';
import type { Html } from './html.ts';
import { layout } from './layout.ts';
import { renderMarkdown } from './markdown.ts';
import { type PageContext, readsTranscripts } from './page-context.ts';
import { documentPath, repPath, sessionPath } from './paths.ts';

export type KnowledgeSearch = { q: string; language: 'ja' | 'en' | undefined };

export type KnowledgeViewData = {
  search: KnowledgeSearch;
  /** Present when something was searched. */
  hits: KnowledgeSearchHit[] | null;
  documents: DocumentSummary[];
  citations: ReadonlyMap<string, number>;
  error?: string;
  /** After an upload or a retraction. */
  done?: string;
};

/** The snippet with its matches marked; the offsets index the plain text, which stays escaped. */
export const highlighted = (text: string, highlights: readonly { start: number; end: number }[]): Html[] => {
  const out: Html[] = [];
  let at = 0;
  for (const h of [...highlights].sort((a, b) => a.start - b.start)) {
    if (h.start < at || h.end <= h.start || h.end > text.length) continue;
    out.push(html`${text.slice(at, h.start)}<mark>${text.slice(h.start, h.end)}</mark>`);
    at = h.end;
  }
  out.push(html`${text.slice(at)}`);
  return out;
};

const languageName = (ctx: PageContext, language: string) =>
  language === 'ja' ? ctx.t.languageJa : language === 'en' ? ctx.t.languageEn : language;

const tags = (list: readonly string[]) => html`<ul class="tags">${list.map((t) => html`<li>${t}</li>`)}</ul>`;

const searchForm = (
  ctx: PageContext,
  s: KnowledgeSearch,
) => html`<form method="get" action="/dashboard/knowledge" class="search" role="search">
  <div class="field"><label for="q">${ctx.t.searchLabel}</label>
  <input type="search" id="q" name="q" value="${s.q}" maxlength="200" data-testid="knowledge-q"></div>
  <div class="field"><label for="language">${ctx.t.languageLabel}</label>
  <select id="language" name="language">
    <option value=""${s.language ? '' : html` selected`}>${ctx.t.languageAny}</option>
    <option value="ja"${s.language === 'ja' ? html` selected` : ''}>${ctx.t.languageJa}</option>
    <option value="en"${s.language === 'en' ? html` selected` : ''}>${ctx.t.languageEn}</option>
  </select></div>
  <button type="submit" data-testid="knowledge-search">${ctx.t.searchButton}</button>
</form>`;

const results = (
  ctx: PageContext,
  d: KnowledgeViewData,
  hits: KnowledgeSearchHit[],
) => html`<section aria-labelledby="results-title">
  <h2 id="results-title" data-testid="results-title">${ctx.t.resultsFor(hits.length, d.search.q)}</h2>
  ${
    hits.length === 0
      ? html`<p>${ctx.t.noResults}</p>`
      : html`<ol class="results" data-testid="results">${hits.map(
          (h) => html`<li>
    <h3><a href="${documentPath(h.documentId)}" data-testid="result-link">${h.title}</a>${h.section.label ? html` <span class="muted" data-testid="result-section">› ${h.section.label}</span>` : ''}</h3>
    <p class="snippet">${highlighted(h.snippet, h.highlights)}</p>
    <p class="muted">${languageName(ctx, h.language)} · ${ctx.t.colCitations}: <span data-testid="result-citations">${d.citations.get(h.documentId) ?? 0}</span></p>
    ${tags(h.tags)}
  </li>`,
        )}</ol>`
  }
</section>`;

const allDocuments = (ctx: PageContext, d: KnowledgeViewData) => {
  const sorted = [...d.documents].sort(
    (a, b) =>
      (d.citations.get(b.documentId) ?? 0) - (d.citations.get(a.documentId) ?? 0) ||
      a.title.localeCompare(b.title),
  );
  return html`<section aria-labelledby="all-title">
  <h2 id="all-title">${ctx.t.allDocuments(sorted.length)}</h2>
  <div class="scroll"><table data-testid="documents-table">
  <thead><tr><th scope="col">${ctx.t.colTitle}</th><th scope="col">${ctx.t.colLanguage}</th><th scope="col">${ctx.t.colTags}</th><th scope="col" class="n">${ctx.t.colCitations}</th></tr></thead>
  <tbody>${sorted.map(
    (doc) => html`<tr>
    <th scope="row"><a href="${documentPath(doc.documentId)}">${doc.title}</a></th>
    <td>${languageName(ctx, doc.language)}</td><td>${tags(doc.tags)}</td>
    <td class="n">${d.citations.get(doc.documentId) ?? 0}</td>
  </tr>`,
  )}</tbody></table></div>
</section>`;
};

const isOps = (ctx: PageContext) => ctx.session?.claims.scope === 'ops';

/** Ops publish through the same path as the API and the CLI (the knowledge decider). */
const uploadForm = (ctx: PageContext) =>
  isOps(ctx)
    ? html`<details class="card upload" data-testid="upload"><summary>${ctx.t.uploadTitle}</summary>
  <p class="muted">${ctx.t.uploadHelp}</p>
  <form method="post" action="${knowledgeUploadPagePath}" enctype="multipart/form-data">
    <input type="hidden" name="_csrf" value="${ctx.session?.csrf ?? ''}">
    <div class="form-field"><label for="upload-file">${ctx.t.uploadFile}</label>
    <input type="file" id="upload-file" name="file" required accept=".md,.markdown,.txt,.pdf,.docx,.pptx"></div>
    <div class="form-field"><label for="upload-tags">${ctx.t.uploadTags}</label>
    <input type="text" id="upload-tags" name="tags" maxlength="1000"></div>
    <div class="form-field"><label for="upload-id">${ctx.t.uploadDocumentId}</label>
    <input type="text" id="upload-id" name="documentId" maxlength="128" pattern="[a-z0-9][a-z0-9_/-]*"></div>
    <button type="submit" data-testid="upload-submit">${ctx.t.uploadButton}</button>
  </form>
</details>`
    : '';

export const knowledgeView = (ctx: PageContext, d: KnowledgeViewData): Html =>
  layout(ctx, {
    title: ctx.t.knowledgeTitle,
    active: 'knowledge',
    body: html`<h1>${ctx.t.knowledgeTitle}</h1>
${d.done ? notice(d.done) : ''}
${d.error ? notice(d.error, 'error') : ''}
${searchForm(ctx, d.search)}
${uploadForm(ctx)}
${d.hits ? results(ctx, d, d.hits) : allDocuments(ctx, d)}`,
  });

const retractForm = (ctx: PageContext, doc: DocumentDetail) =>
  isOps(ctx) && !doc.retractedAt
    ? html`<form method="post" action="${documentPath(doc.documentId)}/retract" class="card retract" data-testid="retract">
  <input type="hidden" name="_csrf" value="${ctx.session?.csrf ?? ''}">
  <div class="form-field"><label for="retract-reason">${ctx.t.retractReason}</label>
  <input type="text" id="retract-reason" name="reason" maxlength="1000" required></div>
  <button type="submit" class="danger" data-testid="retract-submit">${ctx.t.retractButton}</button>
</form>`
    : '';

export type DocumentViewData = {
  document: DocumentDetail;
  citations: number;
  citedBy: CitingSession[];
  done?: string;
};

export const documentView = (ctx: PageContext, d: DocumentViewData): Html => {
  const doc = d.document;
  return layout(ctx, {
    title: doc.title,
    active: 'knowledge',
    body: html`<p class="crumbs"><a href="/dashboard/knowledge">${ctx.t.knowledgeTitle}</a> ›</p>
<h1 data-testid="document-title">${doc.title}</h1>
${d.done ? notice(d.done) : ''}
${doc.retractedAt ? notice(ctx.t.retracted(doc.retractionReason ?? ''), 'error') : ''}
<dl class="facts">
  <div><dt>${ctx.t.colLanguage}</dt><dd>${languageName(ctx, doc.language)}</dd></div>
  <div><dt>${ctx.t.version}</dt><dd>${doc.version}</dd></div>
  <div><dt>${ctx.t.publishedAt}</dt><dd><time datetime="${doc.publishedAt}">${ctx.fmt.dateTime(doc.publishedAt)}</time></dd></div>
  <div><dt>${ctx.t.colCitations}</dt><dd data-testid="document-citations">${d.citations}</dd></div>
</dl>
${tags(doc.tags)}
<div class="grid session">
<article class="card document" data-testid="document-body">${renderMarkdown(doc.body)}</article>
<section class="card" aria-labelledby="cited-by-title">
  <h2 id="cited-by-title">${ctx.t.citedBy}</h2>
  ${
    d.citedBy.length === 0
      ? html`<p>${ctx.t.notCited}</p>`
      : html`<ul class="plain">${d.citedBy.map(
          (m) =>
            html`<li>${
              readsTranscripts(ctx)
                ? html`<a href="${sessionPath(m.sessionId)}#msg-${m.seq}">${ctx.fmt.dateTime(m.lastAt)}</a>`
                : ctx.fmt.dateTime(m.lastAt)
            } · <a href="${repPath(m.userId)}">${m.userId}</a> · ${ctx.t.citedTimes(m.replies)}</li>`,
        )}</ul>`
  }
</section>
</div>
${retractForm(ctx, doc)}
<p><a href="/dashboard/knowledge">${ctx.t.backToKnowledge}</a></p>`,
  });
};
