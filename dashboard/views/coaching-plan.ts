import { html } from 'hono/html';
import type { RankedMember } from '../../projections/growth/team.ts';
import type { TargetProgress } from '../../projections/targets/progress.ts';
import { skillKeys, skillLabels } from '../../schemas/skills.ts';
import { coachingPlanMessages } from '../i18n/coaching-plan.ts';
import type { Html } from './html.ts';
import type { PageContext } from './page-context.ts';
import { repPath } from './paths.ts';

const skillName = (ctx: PageContext, skill: string) =>
  (skillLabels as Record<string, { ja: string; en: string }>)[skill]?.[ctx.lang] ?? skill;
const num = (v: number | null) => (v === null ? '—' : v.toFixed(1));

/** The rep page's targets: progress per skill, and (for keys that may) the form to set or withdraw one. */
export const targetsSection = (
  ctx: PageContext,
  d: { userId: string; targets: readonly TargetProgress[]; canEdit: boolean; today: string; done?: string },
): Html => {
  const m = coachingPlanMessages[ctx.lang];
  const csrf = html`<input type="hidden" name="_csrf" value="${ctx.session?.csrf ?? ''}">`;
  return html`<section class="card wide" aria-labelledby="targets-title" data-testid="targets">
  <h2 id="targets-title">${m.targetsTitle}</h2>
  <p class="lead">${m.targetsLead}</p>
  ${d.done ? html`<p class="notice" role="status">${d.done}</p>` : ''}
  ${
    d.targets.length === 0
      ? html`<p>${m.noTargets}</p>`
      : html`<div class="scroll"><table data-testid="targets-table">
  <thead><tr><th scope="col">${m.colSkill}</th><th scope="col" class="n">${m.colCurrent}</th><th scope="col" class="n">${m.colTarget}</th><th scope="col" class="n">${m.colGap}</th><th scope="col">${m.colDue}</th><th scope="col" class="n">${m.colDaysLeft}</th><th scope="col" class="n">${m.colProjected}</th><th scope="col">${m.colStatus}</th>${d.canEdit ? html`<th scope="col"></th>` : ''}</tr></thead>
  <tbody>${d.targets.map(
    (t) => html`<tr data-status="${t.status}">
    <th scope="row">${skillName(ctx, t.skill)}</th><td class="n">${num(t.current)}</td><td class="n">${t.level.toFixed(1)}</td><td class="n">${num(t.gap)}</td>
    <td>${t.dueDate}</td><td class="n">${t.daysLeft}</td><td class="n">${num(t.projected)}</td><td>${m.status[t.status]}</td>
    ${
      d.canEdit
        ? html`<td><form method="post" action="${repPath(d.userId)}/targets/${t.skill}/clear">${csrf}<button type="submit">${m.clear}</button></form></td>`
        : ''
    }
  </tr>`,
  )}</tbody></table></div>`
  }
  ${
    d.canEdit
      ? html`<form method="post" action="${repPath(d.userId)}/targets" class="target-form" data-testid="target-form">
    <h3>${m.setTitle}</h3>
    ${csrf}
    <label for="target-skill">${m.colSkill}</label>
    <select id="target-skill" name="skill" required>${skillKeys.map((k) => html`<option value="${k}">${skillName(ctx, k)}</option>`)}</select>
    <label for="target-level">${m.level}</label>
    <input type="number" id="target-level" name="level" min="1" max="5" step="0.1" required>
    <label for="target-due">${m.dueDate}</label>
    <input type="date" id="target-due" name="dueDate" min="${d.today}" required>
    <button type="submit">${m.save}</button>
  </form>`
      : html`<p class="muted">${m.readOnly}</p>`
  }
</section>`;
};

/** The team page's ranking by growth (slope over recent sessions), reps by display name. */
export const growthRankingSection = (
  ctx: PageContext,
  ranking: readonly RankedMember[],
  window: number,
): Html => {
  const m = coachingPlanMessages[ctx.lang];
  return html`<section class="card wide" aria-labelledby="ranking-title">
  <h2 id="ranking-title">${m.growthTitle}</h2>
  <p class="lead">${m.growthLead(window)}</p>
  <div class="scroll"><table data-testid="growth-ranking">
  <thead><tr><th scope="col" class="n">${m.colRank}</th><th scope="col">${m.colRep}</th><th scope="col" class="n">${m.colSlope}</th><th scope="col" class="n">${m.colSessions}</th><th scope="col" class="n">${m.colLatest}</th></tr></thead>
  <tbody>${ranking.map(
    (r) => html`<tr>
    <td class="n">${r.rank}</td><th scope="row"><a href="${repPath(r.userId)}">${r.displayName}</a></th>
    <td class="n">${r.slope === null ? m.tooFew : `${r.slope > 0 ? '+' : ''}${r.slope.toFixed(2)}`}</td>
    <td class="n">${r.sessions}</td><td class="n">${num(r.latest)}</td>
  </tr>`,
  )}</tbody></table></div>
</section>`;
};
