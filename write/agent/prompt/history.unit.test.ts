import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../llm/port.ts';
import { alternate, trimHistory } from './history.ts';
import { estimateTokens, messageOverheadTokens } from './tokens.ts';

const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (content: string): ChatMessage => ({ role: 'assistant', content });

/** A session of `turns` exchanges: 13 tokens per question and 14 per answer, overhead included. */
const session = (turns: number): ChatMessage[] =>
  Array.from({ length: turns }, (_, i) => [
    user(`質問${String(i).padStart(2, '0')}ですよろしく`),
    assistant(`回答${String(i).padStart(2, '0')}ですどうぞよろ`),
  ]).flat();

const tokensOf = (messages: ChatMessage[]) =>
  messages.reduce((sum, m) => sum + estimateTokens(m.content) + messageOverheadTokens, 0);

describe('history trimming', () => {
  it('keeps everything that fits', () => {
    const all = [...session(2), user('最新の質問です')];
    expect(trimHistory(all, 10_000)).toEqual({ messages: all, dropped: 0 });
  });

  it('keeps the first user message and the newest turns, within the budget', () => {
    const all = [...session(10), user('最新の質問ですお願いしま')];
    const { messages, dropped } = trimHistory(all, 14 * 6);
    // 84 = the last (16) + the first (13) + four newest (14 + 13 + 14 + 13); the first question
    // and the newest kept question meet across the gap and are merged, so that roles alternate.
    expect(dropped).toBe(all.length - 6);
    expect(messages).toHaveLength(5);
    expect(messages[0]!.content).toBe(`${all[0]!.content}\n\n${all[16]!.content}`);
    expect(messages.at(-1)).toEqual(all.at(-1));
    expect(tokensOf(messages)).toBeLessThanOrEqual(14 * 6);
    for (let i = 1; i < messages.length; i++) expect(messages[i]!.role).not.toBe(messages[i - 1]!.role);
    expect(messages[0]!.role).toBe('user');
  });

  it('always keeps the message being answered, shortened when it alone is over budget', () => {
    const { messages } = trimHistory([...session(3), user('長'.repeat(5000))], 100);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.content.endsWith('…')).toBe(true);
    expect(estimateTokens(messages[0]!.content) + messageOverheadTokens).toBeLessThanOrEqual(100);
  });

  it('drops the first message before the newest ones when both do not fit', () => {
    const all = [user('最初'.repeat(40)), assistant('答え'), user('次の質問')];
    const { messages } = trimHistory(all, 30);
    expect(messages.map((m) => m.content)).toEqual(['次の質問']);
  });

  it('merges neighbours of the same role and never starts with the assistant', () => {
    expect(alternate([assistant('a'), user('u1'), user('u2'), assistant('b')])).toEqual([
      user('u1\n\nu2'),
      assistant('b'),
    ]);
  });
});
