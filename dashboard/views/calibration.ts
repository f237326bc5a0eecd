import { html } from 'hono/html';
import type { Agreement, Calibration } from '../../projections/manager-reviews/queries.ts';
import { type SkillKey, skillKeys, skillLabels } from '../../schemas/skills.ts';
import type { Html } from './html.ts';
import type { PageContext } from './page-context.ts';

/** A rubric skill's label when known (the default rubric's), else its key. */
export const reviewSkillLabel = (ctx: PageContext, skill: string): string =>
  (skillKeys as readonly string[]).includes(skill) ? skillLabels[skill as SkillKey][ctx.lang] : skill;

const cells = (ctx: PageContext, a: Agreement) =>
  html`<td class="n">${a.meanAbsoluteDifference === null ? '–' : ctx.fmt.score(a.meanAbsoluteDifference)}</td><td class="n">${a.withinOne === null ? '–' : `${Math.round(a.withinOne * 100)}%`}</td><td class="n">${a.count}</td>`;

/** How far managers and the AI agree on the team's reviewed sessions (per rubric version). */
export const calibrationSection = (ctx: PageContext, calibration: readonly Calibration[]): Html =>
  html`<section class="card" aria-labelledby="calibration-title" data-testid="calibration">
  <h2 id="calibration-title">${ctx.t.calibrationTitle}</h2>
  <p class="lead">${ctx.t.calibrationLead}</p>
  ${
    calibration.length === 0
      ? html`<p class="muted">${ctx.t.calibrationNone}</p>`
      : calibration.map(
          (
            c,
          ) => html`<p class="muted">${c.rubric.id} v${c.rubric.version} · ${ctx.t.calibrationCounts(c.reviews, c.sessions)}</p>
  <table><thead><tr><th scope="col">${ctx.t.colCalibrationSkill}</th><th scope="col" class="n">${ctx.t.colMeanAbsDiff}</th><th scope="col" class="n">${ctx.t.colWithinOne}</th><th scope="col" class="n">${ctx.t.colComparisons}</th></tr></thead>
  <tbody>${c.skills.map((s) => html`<tr><th scope="row">${reviewSkillLabel(ctx, s.skill)}</th>${cells(ctx, s)}</tr>`)}
  <tr class="total"><th scope="row">${ctx.t.calibrationOverall}</th>${cells(ctx, c.overall)}</tr></tbody></table>`,
        )
  }
</section>`;
