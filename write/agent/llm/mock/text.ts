import type { ChatMessage } from '../port.ts';

export type Language = 'ja' | 'en';

const japanese = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;

export const isJapanese = (text: string) => japanese.test(text);

export const detectLanguage = (text: string, fallback: Language = 'ja'): Language =>
  text.trim() === '' ? fallback : isJapanese(text) ? 'ja' : 'en';

export const lastUserMessage = (messages: ChatMessage[]): string =>
  [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';

/** Splits by code points (never inside a surrogate pair) into pieces of `size`, for stream(). */
export const chunkText = (text: string, size = 24): string[] => {
  const chars = Array.from(text);
  const chunks: string[] = [];
  for (let i = 0; i < chars.length; i += size) chunks.push(chars.slice(i, i + size).join(''));
  return chunks;
};

/** A stable pick among variants: the same turn always gets the same line. */
export const pick = <T>(items: readonly T[], index: number): T => items[Math.abs(index) % items.length]!;

export const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));
