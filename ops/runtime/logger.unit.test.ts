import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { redactPaths } from './logger.ts';

describe('log redaction', () => {
  it('never writes secrets: tokens, keys, authorization headers, configuration secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ redact: { paths: redactPaths, censor: '[redacted]' } }, sink);
    logger.info(
      {
        token: 'xoxb-secret-1',
        req: { headers: { authorization: 'Bearer sk_abc_secret-2', 'x-slack-signature': 'v0=secret-3' } },
        config: { SLACK_SIGNING_SECRET: 'secret-4', OPENAI_API_KEY: 'sk-secret-5', PORT: 8000 },
        SECRET_KEY: 'secret-6',
      },
      'hello',
    );
    const out = lines.join('');
    for (const secret of ['secret-1', 'secret-2', 'secret-3', 'secret-4', 'secret-5', 'secret-6'])
      expect(out).not.toContain(secret);
    expect(out).toContain('"PORT":8000');
    expect(out).toContain('[redacted]');
  });
});
