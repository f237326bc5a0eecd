import { describe, expect, it } from 'vitest';
import { parseUserIntent, sessionModeFields } from './intent.ts';

describe('user intent', () => {
  it.each([
    ['ロールプレイ: 価格に厳しい購買担当', '価格に厳しい購買担当'],
    ['ロールプレイ：情シスの課長', '情シスの課長'],
    ['ロープレ 多忙な部長', '多忙な部長'],
    ['ロールプレイを始めたい: 慎重な担当者', '慎重な担当者'],
    ['/roleplay 価格に厳しい購買担当', '価格に厳しい購買担当'],
    ['roleplay: skeptical CFO', 'skeptical CFO'],
    ['Role-play with a busy VP of Sales', 'a busy VP of Sales'],
    ["let's roleplay: procurement manager", 'procurement manager'],
    ['/roleplay   skeptical   CFO ', 'skeptical CFO'],
    ['<@U0BOT> ロールプレイ: 購買部長', '購買部長'],
  ])('starts a roleplay: %s', (text, persona) => {
    expect(parseUserIntent(text)).toEqual({ kind: 'start_roleplay', persona });
  });

  it.each(['ロールプレイ', 'ロールプレイをお願いします', 'roleplay', '/roleplay', 'ロープレしたい'])(
    'starts a roleplay with the default persona: %s',
    (text) => {
      expect(parseUserIntent(text)).toEqual({ kind: 'start_roleplay', persona: null });
    },
  );

  it.each([
    '終了',
    'ロールプレイ終了',
    'ロールプレイを終了します',
    'ロープレ終わり',
    '終わりです。',
    'end roleplay',
    'End',
    '/end',
    'stop the role-play',
  ])('ends a roleplay: %s', (text) => {
    expect(parseUserIntent(text)).toEqual({ kind: 'end_roleplay' });
  });

  it.each([
    'ロールプレイの練習方法を教えてください',
    'ロールプレイングゲームは好きですか',
    'roleplay is useful, right?',
    'How do I end the meeting politely?',
    '商談を終了するときの挨拶は？',
    '価格が高いと言われました',
  ])('is a message: %s', (text) => {
    expect(parseUserIntent(text)).toEqual({ kind: 'message' });
  });

  it('caps a persona at 200 characters', () => {
    const intent = parseUserIntent(`roleplay: ${'x'.repeat(500)}`);
    expect(intent.kind === 'start_roleplay' && intent.persona?.length).toBe(200);
  });

  it('gives the ReceiveUserMessage fields the edges add', () => {
    expect(sessionModeFields('ロールプレイ: 購買担当')).toEqual({
      startMode: 'roleplay',
      persona: '購買担当',
    });
    expect(sessionModeFields('roleplay')).toEqual({ startMode: 'roleplay' });
    expect(sessionModeFields('価格が高いと言われました')).toEqual({});
  });
});
