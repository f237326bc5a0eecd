import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { boundedCache } from '../../write/crypto/bounded-cache.ts';
import { deriveRingKey, keyRing, unwrapDataKey, wrapDataKey } from '../../write/crypto/key-ring.ts';
import {
  contextOf,
  keyRefOf,
  openText,
  parseKeyRef,
  parseSealed,
  sealText,
} from '../../write/crypto/sealed-text.ts';

const key = randomBytes(32);
const ref = keyRefOf('U0REP1', 1);

describe('sealed text', () => {
  it('round-trips and never contains the plaintext', () => {
    const sealed = sealText(key, ref, contextOf('e1', 'text'), '価格が高いと言われた');
    expect(sealed.startsWith(`enc:v1:${ref}:`)).toBe(true);
    expect(sealed).not.toContain('価格');
    expect(openText(key, parseSealed(sealed)!)).toBe('価格が高いと言われた');
  });

  it('seals the same text differently each time (random IV)', () => {
    const context = contextOf('e1', 'text');
    expect(sealText(key, ref, context, 'same')).not.toBe(sealText(key, ref, context, 'same'));
  });

  it('does not open with another key, another context or a changed payload', () => {
    const sealed = sealText(key, ref, contextOf('e1', 'text'), 'secret');
    const parts = parseSealed(sealed)!;
    expect(() => openText(randomBytes(32), parts)).toThrow();
    const moved = parseSealed(sealed.replace(parts.context, contextOf('e2', 'text')))!;
    expect(() => openText(key, moved)).toThrow();
    const flipped = parts.payload.startsWith('A')
      ? `B${parts.payload.slice(1)}`
      : `A${parts.payload.slice(1)}`;
    expect(() => openText(key, { ...parts, payload: flipped })).toThrow();
  });

  it('binds the context to event id and field (and array index)', () => {
    expect(contextOf('e1', 'text')).not.toBe(contextOf('e2', 'text'));
    expect(contextOf('e1', 'summary')).not.toBe(contextOf('e1', 'text'));
    expect(contextOf('e1', 'strengths.0')).not.toBe(contextOf('e1', 'strengths.1'));
  });

  it('key references carry subject and generation; plain strings are not sealed values', () => {
    expect(parseKeyRef(keyRefOf('U:odd.id', 3))).toEqual({ subjectId: 'U:odd.id', generation: 3 });
    expect(parseSealed('enc:v1:hello')).toBeNull();
    expect(parseSealed('just text')).toBeNull();
  });
});

describe('key ring', () => {
  it('derives a stable key from SECRET_KEY, with a fingerprint id', () => {
    const a = deriveRingKey('x'.repeat(64));
    expect(a.key.length).toBe(32);
    expect(deriveRingKey('x'.repeat(64))).toEqual(a);
    expect(deriveRingKey('y'.repeat(64)).id).not.toBe(a.id);
  });

  it('wraps data keys bound to subject and generation', () => {
    const ring = keyRing([{ id: 'k1', key: randomBytes(32) }]);
    const dataKey = randomBytes(32);
    const wrapped = wrapDataKey(ring.current, dataKey, 'U1', 1);
    expect(unwrapDataKey(ring.current, wrapped, 'U1', 1).equals(dataKey)).toBe(true);
    expect(() => unwrapDataKey(ring.current, wrapped, 'U2', 1)).toThrow();
    expect(() => unwrapDataKey(ring.current, wrapped, 'U1', 2)).toThrow();
  });

  it('the first key is current; ids resolve', () => {
    const ring = keyRing([
      { id: 'k2', key: randomBytes(32) },
      { id: 'k1', key: randomBytes(32) },
    ]);
    expect(ring.current.id).toBe('k2');
    expect(ring.byId('k1')?.id).toBe('k1');
    expect(ring.byId('k0')).toBeUndefined();
  });
});

describe('bounded cache', () => {
  it('drops the oldest beyond max and expires after the TTL', () => {
    let now = 0;
    const cache = boundedCache<number>({ max: 2, ttlMs: 100, now: () => now });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toBe(3);
    now = 100;
    expect(cache.get('c')).toBeUndefined();
  });
});
