import { html } from 'hono/html';
import type { ProjectionStatus } from '../../schemas/api/projections.ts';
import { notice } from './components.ts';
import type { Html } from './html.ts';
import { layout } from './layout.ts';
import type { PageContext } from './page-context.ts';

/** A projection's status and how many rebuild requests wait for its projector. */
export type ProjectionRow = ProjectionStatus & { pendingRebuilds: number };

export type ProjectionsViewData = { rows: ProjectionRow[]; requested: string | null; csrf: string };

/** While a rebuild is asked for or running, the page follows it. */
export const rebuildActive = (rows: readonly ProjectionRow[]) =>
  rows.some((r) => r.rebuild !== null || r.pendingRebuilds > 0);

const rebuildCell = (ctx: PageContext, r: ProjectionRow) => {
  if (r.rebuild) {
    const total = r.rebuild.totalEvents;
    const label = `${ctx.t.colRebuild} ${r.name}`;
    // Without a total the bar is indeterminate (no value), rather than wrong.
    return html`${
      total === null
        ? html`<progress aria-label="${label}"></progress>`
        : html`<progress max="${total}" value="${Math.min(total, r.rebuild.eventsProcessed)}" aria-label="${label}"></progress>`
    }
      <span>${ctx.t.rebuildProgress(r.rebuild.eventsProcessed, total === null ? '?' : String(total))}</span>`;
  }
  if (r.pendingRebuilds > 0) return html`<span>${ctx.t.rebuildPending}</span>`;
  return '';
};

const runnerLabel = (ctx: PageContext, r: ProjectionRow) =>
  r.runner === 'unknown' ? html`<span class="muted">${ctx.t.noRunnerHere}</span>` : r.runner;

/** The table's body alone: dashboard.js swaps it in as the status changes. */
export const projectionRows = (ctx: PageContext, d: ProjectionsViewData): Html =>
  html`${d.rows.map(
    (r) => html`<tr data-projection="${r.name}">
  <th scope="row">${r.name} <span class="muted">v${r.version}</span></th>
  <td data-field="runner">${runnerLabel(ctx, r)}</td>
  <td class="n" data-field="generation">${r.generation ?? '—'}</td>
  <td class="mono" data-field="position">${r.position ?? '—'}</td>
  <td class="n" data-field="processed">${ctx.fmt.integer(r.eventsProcessed)}</td>
  <td class="n" data-field="lag">${r.lagEvents ?? '—'} / ${r.lagSeconds === null ? '—' : r.lagSeconds.toFixed(1)}</td>
  <td class="n${r.deadLetters > 0 ? ' alert' : ''}" data-field="dead">${r.deadLetters}</td>
  <td data-field="error">${r.lastError ?? ''}</td>
  <td data-field="rebuild">${rebuildCell(ctx, r)}
    <form method="post" action="/dashboard/projections/${encodeURIComponent(r.name)}/rebuild" class="inline">
      <input type="hidden" name="_csrf" value="${d.csrf}">
      <button type="submit" data-testid="rebuild-${r.name}">${ctx.t.rebuildButton(r.name)}</button>
    </form>
  </td>
</tr>`,
  )}`;

export const projectionsView = (ctx: PageContext, d: ProjectionsViewData): Html => {
  const active = rebuildActive(d.rows);
  return layout(ctx, {
    title: ctx.t.projectionsTitle,
    active: 'projections',
    // Without JavaScript the page reloads itself while a rebuild runs; with it, dashboard.js polls.
    head: active ? html`<noscript><meta http-equiv="refresh" content="3"></noscript>` : undefined,
    body: html`<h1>${ctx.t.projectionsTitle}</h1>
<p class="lead">${ctx.t.projectionsLead}</p>
${d.requested ? notice(ctx.t.rebuildRequested(d.requested)) : ''}
${active ? html`<p class="muted">${ctx.t.autoRefresh}</p>` : ''}
<div class="scroll"><table class="projections" data-testid="projections-table" data-poll="/dashboard/projections/status" data-active="${active ? 'true' : 'false'}">
<thead><tr>
  <th scope="col">${ctx.t.colName}</th><th scope="col">${ctx.t.colRunner}</th><th scope="col" class="n">${ctx.t.colGeneration}</th>
  <th scope="col">${ctx.t.colPosition}</th><th scope="col" class="n">${ctx.t.colProcessed}</th><th scope="col" class="n">${ctx.t.colLag}</th>
  <th scope="col" class="n">${ctx.t.colDeadLetters}</th><th scope="col">${ctx.t.colLastError}</th><th scope="col">${ctx.t.colRebuild}</th>
</tr></thead>
<tbody>${projectionRows(ctx, d)}</tbody>
</table></div>`,
  });
};
