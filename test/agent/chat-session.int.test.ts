import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatSession } from '../../ops/runtime/agent/chat-session.ts';
import { TerminalPresenter } from '../../ops/runtime/agent/terminal-presenter.ts';
import type { Conversation } from '../../schemas/events/index.ts';
import { plainCodec } from '../../write/event-store/codec.ts';
import { type Harness, inactivityMs, startHarness } from './harness.ts';

const terminal = (name: string): Conversation => ({
  id: `cli:tester:${name}`,
  teamId: 'cli',
  channelId: 'tester',
  channelKind: 'cli',
  threadTs: name,
});

const capture = () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => {
    text += d;
  });
  return { out, text: () => text };
};

describe('a terminal chat session (salesai chat)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('streams the replies of its own reactor through the presenter', async () => {
    const conversation = terminal('own');
    const { out, text } = capture();
    const presenter = new TerminalPresenter(out, conversation.id);
    const reactor = h.reactor({ name: 'chat-own', presenter });
    const chat = new ChatSession({
      writer: { store: h.store, codec: plainCodec, inactivityMs },
      conversation,
      userId: 'UCLI',
      presenter,
      out,
      pollMs: 20,
    });
    await chat.say('競合の方が安いと言われました');
    await chat.end();
    await reactor.stop();
    expect(text()).toMatch(/^コーチ> /);
    expect(text()).toContain('[1]');
    expect(text()).toContain('（セッションを終了しました）');
    const events = await h.events(conversation.id);
    expect(events.map((e) => e.type)).toContain('SessionEnded');
    expect(events.find((e) => e.type === 'SessionStarted')).toMatchObject({
      data: { conversation: { channelKind: 'cli' }, userId: 'UCLI' },
    });
  });

  it("prints the replies of another process's reactor, read from the stream", async () => {
    const conversation = terminal('remote');
    const { out, text } = capture();
    // The reactor runs elsewhere (no presenter of ours): the session reads the reply from the stream.
    const reactor = h.reactor({ name: 'chat-remote' });
    const chat = new ChatSession({
      writer: { store: h.store, codec: plainCodec, inactivityMs },
      conversation,
      userId: 'UCLI',
      presenter: new TerminalPresenter(out, conversation.id),
      out,
      pollMs: 20,
    });
    await chat.say('roleplay: skeptical CFO');
    await chat.say('Thank you for your time. How much time does your team spend on reporting?');
    await chat.say('end roleplay');
    await reactor.stop();
    const lines = text()
      .split('\n')
      .filter((l) => /^(Buyer|Coach)> /.test(l));
    expect(lines.map((l) => l.split('>')[0])).toEqual(['Buyer', 'Buyer', 'Coach']);
    expect(text()).toContain('*Roleplay finished: scorecard* (buyer: skeptical CFO)');
  });

  it('says so when no reactor answers', async () => {
    const { out, text } = capture();
    const conversation = terminal('nobody');
    const chat = new ChatSession({
      writer: { store: h.store, codec: plainCodec, inactivityMs },
      conversation,
      userId: 'UCLI',
      presenter: new TerminalPresenter(out, conversation.id),
      out,
      pollMs: 20,
      replyTimeoutMs: 200,
    });
    await chat.say('誰かいますか？');
    expect(text()).toContain('返信が届きません');
  });
});
