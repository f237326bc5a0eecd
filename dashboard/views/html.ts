import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/** What every view returns: hono/html escapes every interpolated value that is not itself Html. */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/**
 * JSON that is safe inside a `<script>` element: `<`, `>` and `&` become escapes (so text can
 * never close the element or open a comment), as do the two line separators JavaScript once
 * rejected in strings.
 */
export const jsonForScript = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** Data for the charts: a non-executable data block (allowed by the CSP, read by dashboard.js). */
export const dataBlock = (id: string, value: unknown): Html =>
  html`<script type="application/json" id="${id}">${raw(jsonForScript(value))}</script>`;
