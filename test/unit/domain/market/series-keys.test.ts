import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash, fnv1a64, priceSeries, weatherSeries } from '../../../../functions/domain/market/series-keys.ts';

describe('series keys', () => {
  it('names a zone\'s prices and a cell\'s forecast', () => {
    expect(priceSeries('DK2')).toBe('prices#DK2');
    expect(weatherSeries('malmo')).toBe('weather#malmo');
  });
});

describe('content hash', () => {
  it('is FNV-1a 64 (published test vectors)', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });

  it('does not depend on key order, at any depth', () => {
    const a = { zone: 'DK2', points: [{ start: 'x', price: 1 }], meta: { b: 1, a: 2 } };
    const b = { meta: { a: 2, b: 1 }, points: [{ price: 1, start: 'x' }], zone: 'DK2' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash(a)).toMatch(/^fnv1a64:[0-9a-f]{16}$/);
  });

  it('changes with any value, and with the order of array elements', () => {
    const base = { points: [{ start: 'x', price: 1 }, { start: 'y', price: 2 }] };
    expect(contentHash({ points: [{ start: 'x', price: 1 }, { start: 'y', price: 2.0001 }] })).not.toBe(contentHash(base));
    expect(contentHash({ points: [...base.points].reverse() })).not.toBe(contentHash(base));
  });
});
