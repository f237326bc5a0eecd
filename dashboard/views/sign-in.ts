import { html } from 'hono/html';
import { notice } from './components.ts';
import type { Html } from './html.ts';
import { layout } from './layout.ts';
import type { PageContext } from './page-context.ts';

export type SignInViewData = {
  csrf: string;
  /** Where to go after signing in (a /dashboard path). */
  next: string;
  error?: string;
  info?: string;
  /** Offer Sign in with Slack (configured). */
  slack?: boolean;
};

/** Sign in with Slack first (people), the API key form below it (systems, operations). */
const slackOption = (ctx: PageContext, d: SignInViewData): Html | '' =>
  d.slack
    ? html`<p>${ctx.t.signInSlackLead}</p>
<p><a class="button slack" href="/dashboard/sign-in/slack?${new URLSearchParams({ next: d.next }).toString()}" data-testid="sign-in-slack">${ctx.t.signInWithSlack}</a></p>
<p class="muted">${ctx.t.signInOr}</p>`
    : '';

export const signInView = (ctx: PageContext, d: SignInViewData): Html =>
  layout(ctx, {
    title: ctx.t.signInTitle,
    body: html`<section class="card narrow" aria-labelledby="sign-in-title">
<h1 id="sign-in-title">${ctx.t.signInTitle}</h1>
${d.error ? notice(d.error, 'error') : ''}
${d.info ? notice(d.info) : ''}
${slackOption(ctx, d)}
<p>${ctx.t.signInLead}</p>
<form method="post" action="/dashboard/sign-in" class="stack">
  <input type="hidden" name="_csrf" value="${d.csrf}">
  <input type="hidden" name="next" value="${d.next}">
  <label for="api-key">${ctx.t.apiKeyLabel}</label>
  <input type="password" id="api-key" name="apiKey" required autocomplete="off" spellcheck="false" maxlength="256" data-testid="api-key">
  <button type="submit" data-testid="sign-in">${ctx.t.signInButton}</button>
</form>
<p class="muted">${ctx.t.signInHowTo}</p>
<pre><code>npx salesai api-key create --name &lt;name&gt; --scope analyst</code></pre>
</section>`,
  });

/**
 * After Slack sent the browser back: the session cookie is set, and this page moves on from our
 * own origin (a redirect straight from Slack's cross-site navigation would not carry the
 * SameSite=Strict cookie on its first request).
 */
export const signedInView = (ctx: PageContext, next: string): Html =>
  layout(ctx, {
    title: ctx.t.signInTitle,
    head: html`<meta http-equiv="refresh" content="0;url=${next}">`,
    body: html`<section class="card narrow"><p><a href="${next}" data-testid="continue">${ctx.t.slackSignInContinue}</a></p></section>`,
  });
