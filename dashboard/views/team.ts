import { html } from 'hono/html';
import type { Calibration } from '../../projections/manager-reviews/queries.ts';
import type { RepSummary, TeamOverview } from '../queries/team.ts';
import { calibrationSection } from './calibration.ts';
import {
  chartCanvas,
  demoHint,
  type RubricChoice,
  rubricPicker,
  scoreMeter,
  skillLabel,
  slopeBadge,
} from './components.ts';
import { dataBlock, type Html } from './html.ts';
import { layout } from './layout.ts';
import type { PageContext } from './page-context.ts';
import { repPath, withRubric } from './paths.ts';

const repLink = (userId: string) => html`<a href="${repPath(userId)}">${userId}</a>`;

const weakestList = (ctx: PageContext, rep: RepSummary, rubric: TeamOverview['rubric']) =>
  rep.weakest.map((k) => skillLabel(ctx, k, rubric)).join(ctx.lang === 'ja' ? '、' : ', ');

const stats = (ctx: PageContext, o: TeamOverview) => {
  const item = (label: string, value: number, id: string) =>
    html`<div class="stat"><dt>${label}</dt><dd data-testid="${id}">${ctx.fmt.integer(value)}</dd></div>`;
  return html`<dl class="stats">
  ${item(ctx.t.statReps, o.totals.reps, 'stat-reps')}
  ${item(ctx.t.statSessions, o.totals.sessions, 'stat-sessions')}
  ${item(ctx.t.statInsights, o.totals.insights, 'stat-insights')}
  ${item(ctx.t.statLast7, o.totals.sessionsLast7Days, 'stat-last7')}
</dl>`;
};

const weeklySection = (ctx: PageContext, o: TeamOverview) => {
  const labels = o.weekly.map((w) => ctx.fmt.calendarDay(w.week));
  return html`<section class="card" aria-labelledby="weekly-title">
  <h2 id="weekly-title">${ctx.t.weeklyTitle}</h2>
  ${dataBlock('weekly-data', { labels, datasets: [{ label: ctx.t.sessionsCount, data: o.weekly.map((w) => w.sessions) }] })}
  ${chartCanvas('bar', 'weekly-data', ctx.t.weeklyTitle, 'weekly-chart')}
  <details><summary>${ctx.t.weeklyTitle}</summary>
  <table><thead><tr><th scope="col">${ctx.t.weekOf}</th><th scope="col" class="n">${ctx.t.sessionsCount}</th></tr></thead>
  <tbody>${o.weekly.map((w, i) => html`<tr><td>${labels[i]}</td><td class="n">${w.sessions}</td></tr>`)}</tbody></table>
  </details>
</section>`;
};

const skillsSection = (ctx: PageContext, o: TeamOverview) => {
  const team = o.team;
  if (!team) return '';
  const keys = o.rubric.skills.map((s) => s.key);
  const labels = keys.map((k) => skillLabel(ctx, k, o.rubric));
  return html`<section class="card" aria-labelledby="skills-title">
  <h2 id="skills-title">${ctx.t.skillsTitle}</h2>
  <p class="lead">${ctx.t.skillsLead}</p>
  ${dataBlock('skills-data', {
    labels,
    datasets: [
      { label: ctx.t.currentLevel, data: keys.map((k) => round(team.current[k] ?? 0)) },
      { label: ctx.t.overallAverage, data: keys.map((k) => round(team.average[k] ?? 0)) },
    ],
  })}
  ${chartCanvas('radar', 'skills-data', ctx.t.skillsTitle, 'skills-chart')}
  <table><thead><tr><th scope="col">${ctx.t.colSkill}</th><th scope="col">${ctx.t.currentLevel}</th><th scope="col">${ctx.t.overallAverage}</th></tr></thead>
  <tbody>${keys.map(
    (k) =>
      html`<tr><th scope="row">${skillLabel(ctx, k, o.rubric)}</th><td>${scoreMeter(ctx, team.current[k] ?? 0, skillLabel(ctx, k, o.rubric))}</td><td>${scoreMeter(ctx, team.average[k] ?? 0, skillLabel(ctx, k, o.rubric))}</td></tr>`,
  )}</tbody></table>
</section>`;
};

const highlightList = (
  ctx: PageContext,
  o: TeamOverview,
  reps: readonly RepSummary[],
  kind: 'improved' | 'help',
) =>
  reps.length === 0
    ? html`<p>${ctx.t.nobodyImproved}</p>`
    : html`<ol class="highlights" data-testid="${kind === 'improved' ? 'improved-list' : 'needs-help-list'}">${reps.map(
        (r) =>
          html`<li>${repLink(r.userId)} ${
            kind === 'improved'
              ? slopeBadge(ctx, r.meanSlope)
              : html`${scoreMeter(ctx, r.meanCurrent ?? 0, ctx.t.currentLevel)} <span class="muted">${ctx.t.weakestSkills}: ${weakestList(ctx, r, o.rubric)}</span>`
          }</li>`,
      )}</ol>`;

const repsTable = (
  ctx: PageContext,
  o: TeamOverview,
) => html`<section class="card wide" aria-labelledby="reps-title">
  <h2 id="reps-title">${ctx.t.repsTitle}</h2>
  <p class="lead">${ctx.t.repsLead}</p>
  <div class="scroll"><table data-testid="reps-table">
  <thead><tr>
    <th scope="col">${ctx.t.colRep}</th><th scope="col" class="n">${ctx.t.colSessions}</th><th scope="col" class="n">${ctx.t.colInsights}</th>
    <th scope="col">${ctx.t.colLastSession}</th><th scope="col">${ctx.t.colLevel}</th><th scope="col">${ctx.t.colTrend}</th><th scope="col">${ctx.t.colWeakest}</th>
  </tr></thead>
  <tbody>${o.reps.map(
    (r) => html`<tr>
    <th scope="row">${repLink(r.userId)}</th>
    <td class="n">${r.sessions}</td><td class="n">${r.insights}</td>
    <td>${r.lastSessionAt ? ctx.fmt.date(r.lastSessionAt) : '—'}</td>
    <td>${r.meanCurrent === null ? '—' : scoreMeter(ctx, r.meanCurrent, ctx.t.colLevel)}</td>
    <td>${r.slopeSessions >= 2 ? slopeBadge(ctx, r.meanSlope) : '—'}</td>
    <td>${weakestList(ctx, r, o.rubric) || '—'}</td>
  </tr>`,
  )}</tbody></table></div>
</section>`;

const round = (v: number) => Math.round(v * 100) / 100;

export const teamView = (
  ctx: PageContext,
  o: TeamOverview,
  recentSessions: number,
  choices: readonly RubricChoice[] = [o.rubric],
  calibration: readonly Calibration[] | null = null,
  extra?: Html,
): Html =>
  layout(ctx, {
    title: ctx.t.teamTitle,
    active: 'team',
    charts: o.reps.length > 0,
    body:
      o.reps.length === 0
        ? html`<h1>${ctx.t.teamTitle}</h1>${demoHint(ctx)}`
        : html`<h1>${ctx.t.teamTitle}</h1>
${rubricPicker(ctx, o.rubric, choices, (r) => withRubric('/dashboard', r))}
${stats(ctx, o)}
<div class="grid">
${weeklySection(ctx, o)}
${skillsSection(ctx, o)}
<section class="card" aria-labelledby="improved-title">
  <h2 id="improved-title">${ctx.t.improvedTitle}</h2>
  <p class="lead">${ctx.t.improvedLead(recentSessions)}</p>
  ${highlightList(ctx, o, o.improved, 'improved')}
</section>
<section class="card" aria-labelledby="help-title">
  <h2 id="help-title">${ctx.t.needsHelpTitle}</h2>
  <p class="lead">${ctx.t.needsHelpLead}</p>
  ${highlightList(ctx, o, o.needsHelp, 'help')}
</section>
${extra ?? ''}
${repsTable(ctx, o)}
${calibration ? calibrationSection(ctx, calibration) : ''}
</div>`,
  });
