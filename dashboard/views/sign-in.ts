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
};

export const signInView = (ctx: PageContext, d: SignInViewData): Html =>
  layout(ctx, {
    title: ctx.t.signInTitle,
    body: html`<section class="card narrow" aria-labelledby="sign-in-title">
<h1 id="sign-in-title">${ctx.t.signInTitle}</h1>
${d.error ? notice(d.error, 'error') : ''}
${d.info ? notice(d.info) : ''}
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
