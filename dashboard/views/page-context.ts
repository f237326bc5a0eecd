import type { Context } from 'hono';
import { scopeAllows } from '../../schemas/api/api-keys.ts';
import type { DashboardSession } from '../context.ts';
import type { Lang } from '../i18n/lang.ts';
import { type Messages, messages } from '../i18n/messages.ts';
import { type Formatter, formatter } from './format.ts';

export type AssetUrls = { css: string; chart: string; app: string };

/** What every view gets: language, words, formatting, who is signed in, where the assets are. */
export type PageContext = {
  lang: Lang;
  t: Messages;
  fmt: Formatter;
  /** The request's path and query (the language toggle keeps them). */
  url: URL;
  session: DashboardSession | undefined;
  assets: AssetUrls;
  timeZone: string;
};

/** Whether the signed-in key may open transcripts (reviewer, ops): analysts get no links to them. */
export const readsTranscripts = (ctx: PageContext): boolean => {
  const scope = ctx.session?.claims.scope;
  return scope !== undefined && scopeAllows(scope, 'reviewer');
};

export const pageContext = (c: Context, assets: AssetUrls, timeZone: string): PageContext => {
  const lang = c.get('dashboardLang') ?? 'ja';
  return {
    lang,
    t: messages[lang],
    fmt: formatter(lang, timeZone),
    url: new URL(c.req.url),
    session: c.get('dashboardSession'),
    assets,
    timeZone,
  };
};
