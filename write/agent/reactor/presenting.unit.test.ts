import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../schemas/logger.ts';
import type { ReplyContext, ReplyPresenter } from '../ports.ts';
import { SafeReplyStream } from './presenting.ts';

const context: ReplyContext = {
  conversation: { id: 'T1:D1:dm', teamId: 'T1', channelId: 'D1', channelKind: 'im', threadTs: null },
  sessionId: '6f1c1d1e-2a3b-5c4d-8e5f-6a7b8c9d0e1f',
  userId: 'U1',
  replyTo: 'm1',
  language: 'ja',
  kind: 'coaching',
};

describe('presenting a reply safely', () => {
  it('stops presenting after the presenter fails, without failing the reply', async () => {
    const calls: string[] = [];
    const presenter: ReplyPresenter = {
      begin: () => ({
        append: (delta) => {
          calls.push(delta);
          if (delta === 'b') throw new Error('Slack said no');
        },
        finish: () => {
          calls.push('finish');
        },
        fail: () => {
          calls.push('fail');
        },
      }),
    };
    const output = await SafeReplyStream.open(presenter, context, silentLogger);
    expect(output.streaming).toBe(true);
    await output.append('a');
    await output.append('b');
    await output.append('c');
    await output.finish('abc', []);
    expect(calls).toEqual(['a', 'b']);
    expect(output.streaming).toBe(false);
  });

  it('works without a presenter, and when begin fails', async () => {
    const none = await SafeReplyStream.open(undefined, context, silentLogger);
    expect(none.streaming).toBe(false);
    await none.finish('x', []);
    const broken = await SafeReplyStream.open(
      {
        begin: () => {
          throw new Error('down');
        },
      },
      context,
      silentLogger,
    );
    expect(broken.streaming).toBe(false);
  });

  it('calls finish or fail once, and nothing after', async () => {
    const calls: string[] = [];
    const presenter: ReplyPresenter = {
      begin: async () => ({
        append: () => {},
        finish: (text) => {
          calls.push(`finish:${text}`);
        },
        fail: (text) => {
          calls.push(`fail:${text}`);
        },
      }),
    };
    const output = await SafeReplyStream.open(presenter, context, silentLogger);
    await output.fail('sorry');
    await output.finish('late', []);
    expect(calls).toEqual(['fail:sorry']);
  });
});
