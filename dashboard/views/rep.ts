import { html } from 'hono/html';
import type { HistoryResponse } from '../../schemas/api/read-models.ts';
import type { Rubric } from '../../schemas/rubrics.ts';
import type { RepSession } from '../queries/rep.ts';
import { daysBetween } from '../time.ts';
import { chartCanvas, modeLabel, rubricPicker, scoreMeter, skillLabel, slopeBadge } from './components.ts';
import { dataBlock, type Html } from './html.ts';
import { layout } from './layout.ts';
import { type PageContext, readsTranscripts } from './page-context.ts';
import { repPath, sessionPath, withRubric } from './paths.ts';

export type RepViewData = {
  userId: string;
  /** The day the profile is shown as of (`YYYY-MM-DD`), or null for now. */
  asOf: string | null;
  /** Null when nothing had been derived by then. */
  history: HistoryResponse | null;
  /** First session day and today, in the display zone: the time-travel bounds. */
  firstDay: string;
  today: string;
  /** Instants bounding the chart's time axis (the same with or without time travel). */
  axis: { from: number; to: number };
  /** The `asOf` instant (end of that day), drawn as a line on the chart. */
  asOfInstant: string | null;
  sessions: RepSession[];
  /** Sections added below the sessions (targets). */
  extra?: Html;
  /** The rubric version the scores are on, and the versions the rep has scores on (the picker). */
  rubric: Rubric;
  rubricChoices: readonly Pick<Rubric, 'id' | 'version' | 'name'>[];
  /** The rubric was picked (`?rubric=`), not the default: time travel keeps it. */
  rubricPicked: boolean;
};

const mean = (scores: Record<string, number>) => {
  const values = Object.values(scores);
  return values.reduce((a, v) => a + v, 0) / Math.max(1, values.length);
};

const timeTravel = (ctx: PageContext, d: RepViewData) => {
  const value = d.asOf ?? d.today;
  const span = Math.max(0, daysBetween(d.firstDay, d.today));
  return html`<section class="card wide" aria-labelledby="travel-title">
  <h2 id="travel-title">${ctx.t.timeTravelTitle}</h2>
  <p class="lead">${ctx.t.timeTravelLead}</p>
  <form method="get" action="${repPath(d.userId)}" class="time-travel" data-time-travel>
    ${d.rubricPicked ? html`<input type="hidden" name="rubric" value="${d.rubric.id}"><input type="hidden" name="rubricVersion" value="${d.rubric.version}">` : ''}
    <label for="as-of">${ctx.t.asOfLabel}</label>
    <input type="date" id="as-of" name="asOf" value="${value}" min="${d.firstDay}" max="${d.today}" required data-testid="as-of-input">
    <label for="as-of-range" class="visually-hidden">${ctx.t.asOfSlider}</label>
    <input type="range" id="as-of-range" min="0" max="${span}" step="1" value="${Math.max(0, Math.min(span, daysBetween(d.firstDay, value)))}" data-start="${d.firstDay}" hidden data-testid="as-of-range">
    <button type="submit" data-testid="as-of-submit">${ctx.t.showButton}</button>
    ${d.asOf ? html`<a href="${repPath(d.userId)}" data-testid="back-to-today">${ctx.t.backToToday}</a>` : ''}
  </form>
</section>`;
};

const profile = (ctx: PageContext, d: RepViewData) => {
  const title = d.asOf ? ctx.t.profileAsOf(ctx.fmt.calendarDay(d.asOf)) : ctx.t.profileNow;
  const h = d.history;
  if (!h) {
    return html`<section class="card wide" aria-labelledby="profile-title" data-testid="profile">
  <h2 id="profile-title" data-testid="profile-title">${title}</h2>
  <p data-testid="profile-empty">${ctx.t.profileEmpty}</p>
</section>`;
  }
  const p = h.profile;
  const labels = d.rubric.skills.map((s) => s.key).map((k) => skillLabel(ctx, k, d.rubric));
  return html`<section class="card wide" aria-labelledby="profile-title" data-testid="profile">
  <h2 id="profile-title" data-testid="profile-title">${title}</h2>
  <div class="split"><div>
  <dl class="stats small">
    <div class="stat"><dt>${ctx.t.profileSessions}</dt><dd data-testid="profile-sessions">${p.sessions}</dd></div>
    <div class="stat"><dt>${ctx.t.profileInsights}</dt><dd data-testid="profile-insights">${p.insights}</dd></div>
    <div class="stat"><dt>${ctx.t.profileLast}</dt><dd>${p.lastAt ? ctx.fmt.date(p.lastAt) : '—'}</dd></div>
  </dl>
  <table data-testid="profile-table">
  <thead><tr><th scope="col">${ctx.t.colSkill}</th><th scope="col">${ctx.t.colCurrent}</th><th scope="col">${ctx.t.colAverage}</th><th scope="col">${ctx.t.colSlope}</th></tr></thead>
  <tbody>${d.rubric.skills
    .map((s) => s.key)
    .map(
      (k) => html`<tr data-skill="${k}">
    <th scope="row">${skillLabel(ctx, k, d.rubric)}</th>
    <td data-testid="current-${k}">${scoreMeter(ctx, p.current[k] ?? 0, skillLabel(ctx, k, d.rubric))}</td>
    <td>${scoreMeter(ctx, p.average[k] ?? 0, skillLabel(ctx, k, d.rubric))}</td>
    <td>${slopeBadge(ctx, h.trend.slope[k] ?? 0)}</td>
  </tr>`,
    )}</tbody></table>
  <p>${ctx.t.weakestSkills}: <strong data-testid="weakest">${p.weakest.map((k) => skillLabel(ctx, k, d.rubric)).join(ctx.lang === 'ja' ? '、' : ', ')}</strong></p>
  </div><div>
  ${dataBlock('profile-data', {
    labels,
    datasets: [
      { label: ctx.t.colCurrent, data: d.rubric.skills.map((s) => s.key).map((k) => p.current[k] ?? 0) },
      { label: ctx.t.colAverage, data: d.rubric.skills.map((s) => s.key).map((k) => p.average[k] ?? 0) },
    ],
  })}
  ${chartCanvas('radar', 'profile-data', title, 'profile-chart')}
  </div></div>
</section>`;
};

const growth = (ctx: PageContext, d: RepViewData) => {
  const sessions = d.history?.sessions ?? [];
  return html`<section class="card wide" aria-labelledby="growth-title">
  <h2 id="growth-title">${ctx.t.growthTitle}</h2>
  <p class="lead">${ctx.t.growthLead}</p>
  ${dataBlock('growth-data', {
    lang: ctx.lang,
    timeZone: ctx.timeZone,
    xMin: d.axis.from,
    xMax: d.axis.to,
    marker: d.asOfInstant ? { x: Date.parse(d.asOfInstant), label: ctx.t.asOfLabel } : null,
    sessionUrl: readsTranscripts(ctx) ? '/dashboard/sessions/' : null,
    datasets: d.rubric.skills
      .map((s) => s.key)
      .map((k) => ({
        label: skillLabel(ctx, k, d.rubric),
        data: sessions.map((s) => ({ x: Date.parse(s.startedAt), y: s.scores[k] ?? 0, id: s.sessionId })),
      })),
  })}
  ${chartCanvas('growth', 'growth-data', ctx.t.growthTitle, 'growth-chart')}
  ${
    d.history && d.history.trend.weekly.length > 0
      ? html`<details><summary>${ctx.t.weeklyScoresTitle}</summary><div class="scroll"><table>
  <thead><tr><th scope="col">${ctx.t.weekOf}</th><th scope="col" class="n">${ctx.t.colSessions}</th>${d.rubric.skills.map((s) => s.key).map((k) => html`<th scope="col" class="n">${skillLabel(ctx, k, d.rubric)}</th>`)}</tr></thead>
  <tbody>${d.history.trend.weekly.map(
    (w) =>
      html`<tr><th scope="row">${w.week}</th><td class="n">${w.sessions}</td>${d.rubric.skills.map((s) => s.key).map((k) => html`<td class="n">${ctx.fmt.score(w.scores[k] ?? 0)}</td>`)}</tr>`,
  )}</tbody></table></div></details>`
      : ''
  }
</section>`;
};

const sessionsTable = (ctx: PageContext, d: RepViewData) => {
  const scores = new Map((d.history?.sessions ?? []).map((s) => [s.sessionId, s.scores]));
  return html`<section class="card wide" aria-labelledby="sessions-title">
  <h2 id="sessions-title">${ctx.t.sessionsTitle}</h2>
  ${
    d.sessions.length === 0
      ? html`<p>${ctx.t.noSessions}</p>`
      : html`<div class="scroll"><table data-testid="sessions-table">
  <thead><tr><th scope="col">${ctx.t.colStarted}</th><th scope="col">${ctx.t.colMode}</th><th scope="col" class="n">${ctx.t.colMessages}</th><th scope="col" class="n">${ctx.t.colInsights}</th><th scope="col">${ctx.t.colScore}</th><th scope="col">${ctx.t.colFeedback}</th></tr></thead>
  <tbody>${d.sessions.map((s) => {
    const score = scores.get(s.sessionId);
    return html`<tr>
    <th scope="row">${
      readsTranscripts(ctx)
        ? html`<a href="${sessionPath(s.sessionId)}">${ctx.fmt.dateTime(s.startedAt)}</a>`
        : ctx.fmt.dateTime(s.startedAt)
    }</th>
    <td>${modeLabel(ctx, s.mode)}</td>
    <td class="n">${s.messageCount}</td><td class="n">${s.insightCount}</td>
    <td>${score ? scoreMeter(ctx, mean(score), ctx.t.colScore) : '—'}</td>
    <td>${s.feedback.up} / ${s.feedback.down}</td>
  </tr>`;
  })}</tbody></table></div>`
  }
</section>`;
};

export const repView = (ctx: PageContext, d: RepViewData): Html =>
  layout(ctx, {
    title: ctx.t.repTitle(d.userId),
    active: 'team',
    charts: true,
    body: html`<p class="crumbs"><a href="/dashboard">${ctx.t.navTeam}</a> ›</p>
<h1 data-testid="rep-title">${ctx.t.repTitle(d.userId)}</h1>
${rubricPicker(ctx, d.rubric, d.rubricChoices, (r) => withRubric(repPath(d.userId, d.asOf ?? undefined), r))}
<div class="grid">
${timeTravel(ctx, d)}
${profile(ctx, d)}
${growth(ctx, d)}
${sessionsTable(ctx, d)}
${d.extra ?? ''}
</div>`,
  });
