import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { eventDefinitions, toDomainEvent, upcast } from './registry.ts';

const metadata = {
  eventId: '2b0e9e2a-8f0e-5a8e-9d8e-0a1b2c3d4e5f',
  correlationId: 'c',
  causationId: null,
  occurredAt: '2025-04-01T09:00:00.000Z',
  actor: { kind: 'user', id: 'U2CERLKJA' },
};

const v1 = {
  sessionId: '6f1c1d1e-2a3b-5c4d-8e5f-6a7b8c9d0e1f',
  messageId: '1712000000.000100',
  seq: 3,
  userId: 'U2CERLKJA',
  role: 'user',
  content: '価格が高いと言われました',
  sentAt: '2025-04-01T09:00:00.000Z',
};

describe('upcasting', () => {
  it('reads a stored MessageReceived v1 (content) as the current v2 (text, format, citations)', () => {
    expect(eventDefinitions.MessageReceived.version).toBe(2);
    const data = upcast('MessageReceived', 1, v1);
    expect(data).toEqual({
      sessionId: v1.sessionId,
      messageId: v1.messageId,
      seq: 3,
      userId: 'U2CERLKJA',
      role: 'user',
      text: '価格が高いと言われました',
      format: 'plain',
      replyTo: null,
      citations: [],
      sentAt: v1.sentAt,
    });
  });

  it('gives assistant messages of v1 the markdown format', () => {
    expect(upcast('MessageReceived', 1, { ...v1, role: 'assistant' }).format).toBe('markdown');
  });

  it('turns a whole stored record into a current domain event', () => {
    const event = toDomainEvent({ type: 'MessageReceived', version: 1, data: v1, metadata });
    expect(event.version).toBe(2);
    expect(event.type).toBe('MessageReceived');
    if (event.type === 'MessageReceived') expect(event.data.text).toBe(v1.content);
  });

  it('validates the stored version against its own schema before upcasting', () => {
    expect(() => upcast('MessageReceived', 1, { ...v1, content: undefined })).toThrow();
  });

  it('refuses a version newer than this build knows, and unknown types', () => {
    expect(() => upcast('MessageReceived', 3, v1)).toThrow(AppError);
    expect(() => toDomainEvent({ type: 'Nope', version: 1, data: {}, metadata })).toThrow(
      /unknown event type/,
    );
  });

  it('passes current versions through unchanged', () => {
    const current = { ...v1, content: undefined, text: 'x', format: 'plain', replyTo: null, citations: [] };
    delete (current as Record<string, unknown>).content;
    expect(upcast('MessageReceived', 2, current).text).toBe('x');
  });
});
