import { html } from 'hono/html';
import type { Html } from './html.ts';
import type { PageContext } from './page-context.ts';

export type Section = 'team' | 'knowledge' | 'projections';

export type PageOptions = {
  title: string;
  body: Html;
  active?: Section;
  /** Load chart.js (pages with charts only). */
  charts?: boolean;
  /** Extra elements for <head> (a no-script refresh). */
  head?: Html;
};

/** The language toggle: the same page, the other language (remembered in a cookie from then on). */
const toggleHref = (ctx: PageContext) => {
  const params = new URLSearchParams(ctx.url.search);
  params.set('lang', ctx.lang === 'ja' ? 'en' : 'ja');
  return `${ctx.url.pathname}?${params}`;
};

const navLink = (href: string, label: string, current: boolean) =>
  html`<li><a href="${href}"${current ? html` aria-current="page"` : ''}>${label}</a></li>`;

export const layout = (ctx: PageContext, options: PageOptions): Html => {
  const { t, session } = ctx;
  const other = ctx.lang === 'ja' ? 'en' : 'ja';
  return html`<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<link rel="icon" href="data:,">
<title>${options.title} · ${t.appName}</title>
<link rel="stylesheet" href="${ctx.assets.css}">
${options.charts ? html`<script src="${ctx.assets.chart}" defer></script>` : ''}
<script src="${ctx.assets.app}" defer></script>
${options.head ?? ''}
</head>
<body>
<a class="skip" href="#main">${t.skipToContent}</a>
<header class="top">
  <a class="brand" href="/dashboard">${t.appName} <span>${t.dashboard}</span></a>
  ${
    session
      ? html`<nav aria-label="${t.dashboard}"><ul>
  ${navLink('/dashboard', t.navTeam, options.active === 'team')}
  ${navLink('/dashboard/knowledge', t.navKnowledge, options.active === 'knowledge')}
  ${session.claims.scope === 'ops' ? navLink('/dashboard/projections', t.navProjections, options.active === 'projections') : ''}
  </ul></nav>`
      : ''
  }
  <div class="account">
    <a href="${toggleHref(ctx)}" lang="${other}" hreflang="${other}" data-testid="lang-toggle">${t.otherLanguage}</a>
    ${
      session
        ? html`<span class="who">${session.claims.src === 'slack' ? t.slackSignedInAs(session.claims.name) : t.signedInAs(session.claims.name, session.claims.scope)}</span>
    <form method="post" action="/dashboard/sign-out" class="inline">
      <input type="hidden" name="_csrf" value="${session.csrf}">
      <button type="submit" class="link">${t.signOut}</button>
    </form>`
        : ''
    }
  </div>
</header>
<main id="main">
${options.body}
</main>
<footer><p>${t.footer(ctx.timeZone)}</p></footer>
</body>
</html>`;
};
