import { html } from 'hono/html';
import type { ManagerReviewRow } from '../../projections/manager-reviews/queries.ts';
import { reviewSkillLabel } from './calibration.ts';
import { notice } from './components.ts';
import type { Html } from './html.ts';
import type { PageContext } from './page-context.ts';

export type ReviewsViewData = {
  reviews: readonly ManagerReviewRow[];
  /** The rubric's skills, in order. */
  skills: readonly string[];
  ai: Readonly<Record<string, number>>;
  effective: Readonly<Record<string, { score: number; source: 'manager' | 'ai' }>>;
  /** The review form, for the rep's manager signed in with Slack. */
  form?: { action: string; csrf: string; reviewId: string };
  saved?: boolean;
  error?: string;
};

const scoreCell = (ctx: PageContext, value: number | undefined) =>
  html`<td class="n">${value === undefined ? '–' : ctx.fmt.score(value)}</td>`;

const reviewCard = (ctx: PageContext, r: ManagerReviewRow) =>
  html`<article class="insight${r.current ? '' : ' replaced'}" data-testid="review">
  <h3>${ctx.t.reviewBy(r.reviewerId, ctx.fmt.dateTime(r.reviewedAt))}${r.current ? '' : html` <span class="muted">${ctx.t.reviewReplaced}</span>`}</h3>
  <ul>${Object.entries(r.scores).map(([k, v]) => html`<li>${reviewSkillLabel(ctx, k)}: ${v}</li>`)}</ul>
  ${r.comment ? html`<p class="comment" data-testid="review-comment">${r.comment}</p>` : ''}
</article>`;

const form = (ctx: PageContext, d: ReviewsViewData, f: NonNullable<ReviewsViewData['form']>) =>
  html`<form method="post" action="${f.action}" class="stack" data-testid="review-form">
  <h3>${ctx.t.reviewFormTitle}</h3>
  <p class="muted">${ctx.t.reviewFormLead}</p>
  <input type="hidden" name="_csrf" value="${f.csrf}">
  <input type="hidden" name="reviewId" value="${f.reviewId}">
  ${d.skills.map(
    (k) => html`<label for="score-${k}">${reviewSkillLabel(ctx, k)}</label>
  <select id="score-${k}" name="score_${k}" data-testid="score-${k}"><option value="">${ctx.t.reviewKeep}</option>${[1, 2, 3, 4, 5].map((n) => html`<option value="${n}">${n}</option>`)}</select>`,
  )}
  <label for="review-comment">${ctx.t.reviewComment}</label>
  <textarea id="review-comment" name="comment" maxlength="4000" rows="4"></textarea>
  <button type="submit" data-testid="review-submit">${ctx.t.reviewSubmit}</button>
</form>`;

/** The session's scores (AI, manager, effective), its reviews, and the form for its rep's manager. */
export const reviewsSection = (ctx: PageContext, d: ReviewsViewData): Html =>
  html`<section class="card" aria-labelledby="reviews-title" data-testid="reviews">
  <h2 id="reviews-title">${ctx.t.reviewsTitle}</h2>
  ${d.saved ? notice(ctx.t.reviewSaved) : ''}
  ${d.error ? notice(d.error, 'error') : ''}
  <table><thead><tr><th scope="col">${ctx.t.colCalibrationSkill}</th><th scope="col" class="n">${ctx.t.colAiScore}</th><th scope="col" class="n">${ctx.t.colManagerScore}</th><th scope="col" class="n">${ctx.t.colEffectiveScore}</th></tr></thead>
  <tbody>${d.skills.map((k) => {
    const e = d.effective[k];
    return html`<tr><th scope="row">${reviewSkillLabel(ctx, k)}</th>${scoreCell(ctx, d.ai[k])}${scoreCell(ctx, e?.source === 'manager' ? e.score : undefined)}<td class="n" data-testid="effective-${k}">${e ? ctx.fmt.score(e.score) : '–'}</td></tr>`;
  })}</tbody></table>
  ${d.reviews.length === 0 ? html`<p class="muted">${ctx.t.noReviews}</p>` : d.reviews.map((r) => reviewCard(ctx, r))}
  ${d.form ? form(ctx, d, d.form) : ''}
</section>`;
