import { html } from 'hono/html';
import type { z } from 'zod';
import type { InsightView, SessionDetail } from '../../schemas/api/read-models.ts';
import { coreRubric, type Rubric, sameRubric } from '../../schemas/rubrics.ts';
import { closingReplyTo } from '../../write/dialogue/stream.ts';
import { modeLabel, scoreMeter, skillLabel } from './components.ts';
import type { Html } from './html.ts';
import { layout } from './layout.ts';
import type { PageContext } from './page-context.ts';
import { documentPath, repPath } from './paths.ts';
import { type ReviewsViewData, reviewsSection } from './reviews.ts';

export type SessionViewData = z.infer<typeof SessionDetail> & {
  citationCounts: ReadonlyMap<string, number>;
  /** Manager reviews of the session (issue 16). */
  reviews?: ReviewsViewData;
  /** Rubric versions, to label each insight's scores (core v1 when not given). */
  rubrics?: readonly Rubric[];
};
type Message = SessionViewData['messages'][number];

/**
 * Message text stays text: escaped, line breaks kept by CSS (white-space: pre-wrap). Only the
 * coach's Slack-style `*bold*` becomes <strong>, around escaped text.
 */
export const messageText = (text: string, role: Message['role']): Html[] => {
  if (role !== 'assistant') return [html`${text}`];
  const out: Html[] = [];
  let last = 0;
  for (const match of text.matchAll(/\*([^*\n]+)\*/g)) {
    out.push(html`${text.slice(last, match.index)}<strong>${match[1]}</strong>`);
    last = match.index + match[0].length;
  }
  out.push(html`${text.slice(last)}`);
  return out;
};

/** Who speaks: in a roleplay the assistant plays the buyer, until its closing scorecard. */
const speaker = (ctx: PageContext, d: SessionViewData, m: Message) =>
  m.role === 'user'
    ? ctx.t.roleUser
    : d.mode === 'roleplay' && m.replyTo !== closingReplyTo(d.sessionId)
      ? ctx.t.persona
      : ctx.t.roleAssistant;

const bubble = (ctx: PageContext, d: SessionViewData, m: Message) => {
  const assistant = m.role === 'assistant';
  return html`<li class="message ${assistant ? 'assistant' : 'user'}" id="msg-${m.seq}" data-testid="message-${m.role}">
  <div class="meta"><span class="who">${speaker(ctx, d, m)}</span> <time datetime="${m.sentAt}">${ctx.fmt.time(m.sentAt)}</time></div>
  <div class="bubble"><p class="text">${messageText(m.text, m.role)}</p>${
    m.citations.length > 0
      ? html`<p class="sources">${ctx.t.citedInReply}: ${m.citations.map(
          (c, i) =>
            html`${i > 0 ? ' ' : ''}<a href="${documentPath(c.documentId)}">[${i + 1}] ${c.title}${c.section ? ` › ${c.section}` : ''}</a>`,
        )}</p>`
      : ''
  }</div>
</li>`;
};

const list = (title: string, items: readonly string[]) =>
  items.length === 0 ? '' : html`<h4>${title}</h4><ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`;

const insightCard = (
  ctx: PageContext,
  insight: InsightView,
  messages: readonly Message[],
  rubrics: readonly Rubric[],
) => {
  const basis = messages.find((m) => m.messageId === insight.basedOnMessageId);
  const rubric = rubrics.find((r) => sameRubric(r, insight.rubric)) ?? {
    ...coreRubric,
    skills: Object.keys(insight.scores).map((key) => ({
      key,
      label: { ja: key, en: key },
      description: { ja: key, en: key },
    })),
  };
  return html`<article class="insight" data-testid="insight">
  <h3>${insight.summary}</h3>
  <p class="muted">${ctx.t.basedOn}: ${basis ? html`<a href="#msg-${basis.seq}">#${basis.seq + 1}</a>` : ctx.t.wholeSession} · ${ctx.t.rubricLabel}: ${ctx.t.rubricVersion(rubric.name[ctx.lang], insight.rubric.version)} · ${ctx.t.model}: ${insight.model}${insight.promptHash ? html` <code title="${insight.promptHash}">#${insight.promptHash.slice(0, 8)}</code>` : ''} · <time datetime="${insight.derivedAt}">${ctx.fmt.dateTime(insight.derivedAt)}</time></p>
  <table class="compact"><tbody>${rubric.skills.map(
    ({ key: k }) =>
      html`<tr><th scope="row">${skillLabel(ctx, k, rubric)}</th><td>${scoreMeter(ctx, insight.scores[k] ?? 0, skillLabel(ctx, k, rubric))}</td></tr>`,
  )}</tbody></table>
  ${list(ctx.t.strengths, insight.strengths)}
  ${list(ctx.t.improvements, insight.improvements)}
  ${list(ctx.t.nextActions, insight.nextActions)}
</article>`;
};

const cited = (ctx: PageContext, d: SessionViewData) => {
  const documents = new Map<string, { title: string; times: number }>();
  for (const m of d.messages) {
    for (const c of m.citations) {
      const entry = documents.get(c.documentId) ?? { title: c.title, times: 0 };
      entry.times++;
      documents.set(c.documentId, entry);
    }
  }
  if (documents.size === 0) return html`<p>${ctx.t.noCitations}</p>`;
  return html`<table data-testid="cited-table"><thead><tr><th scope="col">${ctx.t.colTitle}</th><th scope="col" class="n">${ctx.t.inThisSession}</th><th scope="col" class="n">${ctx.t.citedOverall}</th></tr></thead>
  <tbody>${[...documents].map(
    ([id, doc]) =>
      html`<tr><th scope="row"><a href="${documentPath(id)}" data-testid="cited-document">${doc.title}</a></th><td class="n">${ctx.t.citedTimes(doc.times)}</td><td class="n">${d.citationCounts.get(id) ?? 0}</td></tr>`,
  )}</tbody></table>`;
};

export const sessionView = (ctx: PageContext, d: SessionViewData): Html =>
  layout(ctx, {
    title: ctx.t.sessionOf(d.userId),
    active: 'team',
    body: html`<p class="crumbs"><a href="/dashboard">${ctx.t.navTeam}</a> › <a href="${repPath(d.userId)}">${d.userId}</a> ›</p>
<h1 data-testid="session-title">${ctx.t.sessionOf(d.userId)}</h1>
<dl class="facts">
  <div><dt>${ctx.t.colMode}</dt><dd>${modeLabel(ctx, d.mode)}${d.persona ? html` (${ctx.t.persona}: ${d.persona})` : ''}</dd></div>
  <div><dt>${ctx.t.started}</dt><dd><time datetime="${d.startedAt}">${ctx.fmt.dateTime(d.startedAt)}</time></dd></div>
  <div><dt>${ctx.t.ended}</dt><dd>${d.endedAt ? html`<time datetime="${d.endedAt}">${ctx.fmt.dateTime(d.endedAt)}</time>` : ctx.t.stillOpen}</dd></div>
  <div><dt>${ctx.t.colFeedback}</dt><dd>${d.feedback.up} / ${d.feedback.down}</dd></div>
</dl>
<div class="grid session">
<section class="card" aria-labelledby="transcript-title">
  <h2 id="transcript-title">${ctx.t.transcriptTitle}</h2>
  <ol class="transcript" data-testid="transcript">${d.messages.map((m) => bubble(ctx, d, m))}</ol>
</section>
<div class="side">
${d.reviews ? reviewsSection(ctx, d.reviews) : ''}
<section class="card" aria-labelledby="insights-title">
  <h2 id="insights-title">${ctx.t.insightsTitle}</h2>
  ${d.insights.length === 0 ? html`<p>${ctx.t.noInsights}</p>` : d.insights.map((i) => insightCard(ctx, i, d.messages, d.rubrics ?? [coreRubric]))}
</section>
<section class="card" aria-labelledby="cited-title">
  <h2 id="cited-title">${ctx.t.citedTitle}</h2>
  ${cited(ctx, d)}
</section>
</div>
</div>
<p><a href="${repPath(d.userId)}">${ctx.t.backToRep}</a></p>`,
  });
