import { html } from 'hono/html';
import { coreRubric, type Rubric } from '../../schemas/rubrics.ts';
import type { Html } from './html.ts';
import type { PageContext } from './page-context.ts';

/** A skill's label in the rubric it belongs to (the key itself when the rubric does not name it). */
export const skillLabel = (
  ctx: PageContext,
  skill: string,
  rubric: Pick<Rubric, 'skills'> = coreRubric,
): string => rubric.skills.find((s) => s.key === skill)?.label[ctx.lang] ?? skill;

/** A 1–5 score as a number and a meter (read out by screen readers as the number). */
export const scoreMeter = (ctx: PageContext, value: number, label: string): Html =>
  html`<span class="score"><meter min="1" max="5" low="2.5" high="3.5" optimum="5" value="${value.toFixed(2)}" aria-label="${label}">${ctx.fmt.score(value)}</meter> <span class="num">${ctx.fmt.score(value)}</span></span>`;

export const slopeBadge = (ctx: PageContext, value: number): Html => {
  const direction = value > 0.005 ? 'up' : value < -0.005 ? 'down' : 'flat';
  const arrow = direction === 'up' ? '↗' : direction === 'down' ? '↘' : '→';
  return html`<span class="slope ${direction}"><span aria-hidden="true">${arrow}</span> ${ctx.fmt.slope(value)}</span>`;
};

/**
 * A chart: a canvas that dashboard.js draws from the data block `source`. It has a label for
 * screen readers; the numbers themselves are in a table next to it, which is what is left
 * without JavaScript.
 */
export const chartCanvas = (kind: string, source: string, label: string, testId: string): Html =>
  html`<div class="chart"><canvas data-chart="${kind}" data-source="${source}" role="img" aria-label="${label}" data-testid="${testId}"></canvas></div>`;

export const modeLabel = (ctx: PageContext, mode: 'coaching' | 'roleplay') =>
  mode === 'roleplay' ? ctx.t.modeRoleplay : ctx.t.modeCoaching;

export const notice = (text: string, kind: 'info' | 'error' = 'info'): Html =>
  html`<p class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</p>`;

export const demoHint = (ctx: PageContext): Html =>
  html`<div class="empty"><p>${ctx.t.noData}</p><pre><code>npx salesai demo</code></pre></div>`;

export type RubricChoice = Pick<Rubric, 'id' | 'version' | 'name'>;

/** Links to other rubric versions: a page shows one at a time (`current`), the others a click away. */
export const rubricPicker = (
  ctx: PageContext,
  current: RubricChoice,
  choices: readonly RubricChoice[],
  hrefOf: (choice: RubricChoice) => string,
): Html => {
  const same = (r: RubricChoice) => r.id === current.id && r.version === current.version;
  const all = choices.some(same) ? choices : [current, ...choices];
  return html`<nav class="rubric-picker" aria-label="${ctx.t.rubricLabel}" data-testid="rubric-picker">
  <span>${ctx.t.rubricLabel}:</span> ${all.map((r) => {
    const label = ctx.t.rubricVersion(r.name[ctx.lang], r.version);
    return same(r)
      ? html`<strong aria-current="page" data-testid="rubric-current">${label}</strong> `
      : html`<a href="${hrefOf(r)}">${label}</a> `;
  })}
  <span class="muted">${ctx.t.rubricPickerLead}</span>
</nav>`;
};
