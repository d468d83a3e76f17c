import { describe, expect, it } from 'vitest';
import { toPlanDocument } from '../../../../functions/domain/planning/plan-document.ts';

const base = { v: 7, start: new Date('2023-01-10T12:00:00Z'), stepS: 900, fallback: { minC: 18, maxC: 21 } };

describe('toPlanDocument', () => {
  it('rounds powers to whole watts and ends validity with the last step', () => {
    const doc = toPlanDocument({ ...base, powerW: [999.6, 0.4, 500] });
    expect(doc).toEqual({
      v: 7,
      start: '2023-01-10T12:00:00.000Z',
      stepS: 900,
      powerW: [1000, 0, 500],
      validUntil: '2023-01-10T12:45:00.000Z',
      fallback: { minC: 18, maxC: 21 },
    });
  });

  it('ends validity earlier when validForHours says so, never later', () => {
    const powerW = Array<number>(192).fill(800);
    expect(toPlanDocument({ ...base, powerW, validForHours: 24 }).validUntil).toBe('2023-01-11T12:00:00.000Z');
    expect(toPlanDocument({ ...base, powerW, validForHours: 72 }).validUntil).toBe('2023-01-12T12:00:00.000Z');
  });

  it('refuses what the shadow contract does not allow', () => {
    expect(() => toPlanDocument({ ...base, powerW: Array<number>(193).fill(0) })).toThrow();
    expect(() => toPlanDocument({ ...base, powerW: [0], validForHours: 0 })).toThrow(/validForHours/);
  });
});
