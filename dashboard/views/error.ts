import { html } from 'hono/html';
import type { Html } from './html.ts';
import { layout } from './layout.ts';
import type { PageContext } from './page-context.ts';

export const errorView = (ctx: PageContext, message: string): Html =>
  layout(ctx, {
    title: ctx.t.errorTitle,
    body: html`<h1>${ctx.t.errorTitle}</h1>
<p class="notice error" role="alert" data-testid="error-message">${message}</p>
${ctx.session ? html`<p><a href="/dashboard">${ctx.t.backHome}</a></p>` : html`<p><a href="/dashboard/sign-in">${ctx.t.signInTitle}</a></p>`}`,
  });
