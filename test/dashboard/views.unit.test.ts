import { describe, expect, it } from 'vitest';
import { messages } from '../../dashboard/i18n/messages.ts';
import { formatter } from '../../dashboard/views/format.ts';
import { jsonForScript } from '../../dashboard/views/html.ts';
import { highlighted } from '../../dashboard/views/knowledge.ts';
import { renderMarkdown } from '../../dashboard/views/markdown.ts';
import type { PageContext } from '../../dashboard/views/page-context.ts';
import { sessionView } from '../../dashboard/views/session.ts';
import { signInView } from '../../dashboard/views/sign-in.ts';

const evil = '<script>alert(1)</script>';

const ctx = (lang: 'ja' | 'en' = 'ja'): PageContext => ({
  lang,
  t: messages[lang],
  fmt: formatter(lang, 'Asia/Tokyo'),
  url: new URL('http://localhost/dashboard/sessions/x?q="><b>'),
  session: {
    claims: {
      v: 1,
      sid: 'a'.repeat(22),
      sub: 'env:x',
      name: `<b>${evil}`,
      scope: 'analyst',
      src: 'environment',
      fp: 'f',
      iat: 0,
      exp: 1,
    },
    csrf: 'token"><script>',
  },
  assets: { css: '/c.css', chart: '/chart.js', app: '/app.js' },
  timeZone: 'Asia/Tokyo',
});

const render = async (view: unknown) => String(await view);

const session = {
  sessionId: '00000000-0000-4000-8000-000000000001',
  userId: 'U1',
  mode: 'roleplay' as const,
  persona: evil,
  channelKind: 'im',
  startedAt: '2026-01-05T00:00:00.000Z',
  endedAt: null,
  endReason: null,
  messageCount: 2,
  lastMessageAt: null,
  insightCount: 1,
  feedback: { up: 1, down: 0 },
  messages: [
    {
      seq: 0,
      messageId: '1.000001',
      role: 'user' as const,
      userId: 'U1',
      text: `価格について ${evil}\n<img src=x onerror=alert(2)>`,
      format: 'plain',
      replyTo: null,
      citations: [],
      sentAt: '2026-01-05T00:00:00.000Z',
    },
    {
      seq: 1,
      messageId: 'reply:1.000001',
      role: 'assistant' as const,
      userId: 'U1',
      text: `**bold** ${evil}`,
      format: 'markdown',
      replyTo: '1.000001',
      citations: [{ documentId: 'doc"><script>', title: evil }],
      sentAt: '2026-01-05T00:00:05.000Z',
    },
  ],
  insights: [
    {
      insightId: '00000000-0000-4000-8000-000000000002',
      sessionId: '00000000-0000-4000-8000-000000000001',
      userId: 'U1',
      basedOnMessageId: '1.000001',
      rubric: { id: 'core', version: 1 },
      scores: { hearing: 3, proposal: 4, objection_handling: 2, closing: 1, relationship: 5 },
      provider: 'mock',
      promptHash: null,
      origin: 'live',
      strengths: [evil],
      improvements: ['"><svg onload=alert(3)>'],
      nextActions: [evil],
      summary: evil,
      model: evil,
      derivedAt: '2026-01-05T00:00:06.000Z',
    },
  ],
  citationCounts: new Map([['doc"><script>', 3]]),
};

describe('dashboard views escape everything that comes from events', () => {
  it('renders a session whose every text field holds markup as inert text', async () => {
    const html = await render(sessionView(ctx(), session));
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<svg');
    expect(html).not.toContain('"><script>');
    expect(html).toContain('価格について &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    // Ids go into URLs encoded, into attributes escaped.
    expect(html).toContain('href="/dashboard/knowledge/doc%22%3E%3Cscript%3E"');
    expect(html).toContain('value="token&quot;&gt;&lt;script&gt;"');
    // The language toggle keeps the query, escaped.
    expect(html).toContain('?q=%22%3E%3Cb%3E&amp;lang=en');
    // Every script element is ours.
    for (const tag of html.match(/<script[^>]*>/g) ?? [])
      expect(tag).toMatch(/^<script src="\/(chart|app)\.js"/);
  });

  it('shows the transcript as user and assistant bubbles, with the insight and the cited documents', async () => {
    const html = await render(sessionView(ctx('en'), session));
    expect(html.match(/class="message user"/g)).toHaveLength(1);
    expect(html.match(/class="message assistant"/g)).toHaveLength(1);
    expect(html).toContain('data-testid="insight"');
    expect(html).toContain('data-testid="cited-table"');
    expect(html).toContain('<html lang="en">');
  });

  it('escapes the sign-in form values', async () => {
    const html = await render(
      signInView(
        { ...ctx(), session: undefined },
        { csrf: 'a"b', next: '/dashboard?x="><script>', error: evil },
      ),
    );
    expect(html).toContain('value="a&quot;b"');
    expect(html).toContain('value="/dashboard?x=&quot;&gt;&lt;script&gt;"');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('type="password"');
    expect(html).toMatch(/<label for="api-key">/);
  });
});

describe('safe Markdown for knowledge documents', () => {
  it('renders headings, lists, tasks, quotes, code, bold, and escapes HTML in every one of them', async () => {
    const html = await render(
      renderMarkdown(
        [
          '# Title <b>x</b>',
          '## Section',
          'Some **bold** and `code <i>` text <script>alert(1)</script>',
          '',
          '- one <img src=x>',
          '  - nested',
          '- [ ] task',
          '- [x] done',
          '',
          '1. first',
          '2. second',
          '',
          '> quoted <b>',
          '',
          '```',
          '<script>in code</script>',
          '```',
        ].join('\n'),
      ),
    );
    expect(html).toContain('<h2>Title &lt;b&gt;x&lt;/b&gt;</h2>');
    expect(html).toContain('<h2>Section</h2>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>code &lt;i&gt;</code>');
    expect(html).toContain('<li>one &lt;img src=x&gt;<ul><li>nested</li></ul></li>');
    expect(html).toContain('☐');
    expect(html).toContain('☑');
    expect(html).toContain('<ol><li>first</li><li>second</li></ol>');
    expect(html).toContain('<blockquote><p>quoted &lt;b&gt;</p></blockquote>');
    expect(html).toContain('<pre><code>&lt;script&gt;in code&lt;/script&gt;</code></pre>');
    expect(html).not.toMatch(/<(script|img|b|i)[ >]/);
  });
});

describe('data blocks and snippets', () => {
  it('keeps JSON from closing its script element', () => {
    const json = jsonForScript({ label: '</script><script>alert(1)</script>', sep: '\u2028', amp: '&' });
    expect(json).not.toContain('<');
    expect(json).not.toContain('>');
    expect(json).not.toContain('\u2028');
    expect(JSON.parse(json)).toEqual({
      label: '</script><script>alert(1)</script>',
      sep: '\u2028',
      amp: '&',
    });
  });

  it('marks search hits in escaped text, ignoring bad offsets', async () => {
    const out = await render(
      (await import('hono/html')).html`${highlighted('価格 <b> price', [
        { start: 0, end: 2 },
        { start: 7, end: 12 },
        { start: 100, end: 200 },
      ])}`,
    );
    expect(out).toBe('<mark>価格</mark> &lt;b&gt; <mark>price</mark>');
  });
});
