import { describe, expect, it } from 'vitest';
import { drDelivery } from '../../../../functions/domain/reconciliation/dr-delivery.ts';
import type { GridEventRecord } from '../../../../functions/ports/stores.ts';

const NOW = new Date('2023-01-11T07:30:00Z');
const record = (id: string, payload: { type: string; values: number[] }, start = '2023-01-11T07:00:00Z'): GridEventRecord => ({
  gridEventId: id,
  programId: 'winter-flex',
  modifiedAt: '2023-01-10T18:00:00Z',
  cancelled: false,
  receivedAt: '2023-01-10T18:00:00Z',
  event: { id, programID: 'winter-flex', intervalPeriod: { start, duration: 'PT2H' }, intervals: [{ id: 0, payloads: [payload] }] },
});

describe('drDelivery', () => {
  it('measures a capped group against its cap, a shed group against what its plans committed to', () => {
    const groups = new Map([
      ['cap', { measuredW: 12_000, committedW: 9_000, ratedW: 40_000 }],
      ['shed', { measuredW: 3_000, committedW: 3_000, ratedW: 20_000 }],
    ]);
    const out = drDelivery(groups, [record('cap', { type: 'IMPORT_CAPACITY_LIMIT', values: [10] }), record('shed', { type: 'SIMPLE', values: [2] })], NOW);
    expect(out).toEqual([
      { gridEventId: 'cap', targetKW: 10, deliveredKW: 12, shortfallPercent: 20 },
      { gridEventId: 'shed', targetKW: 3, deliveredKW: 3, shortfallPercent: 0 },
    ]);
  });

  it('scales a shortfall against drawing nothing by the group’s rating, and leaves out events not under way', () => {
    const groups = new Map([
      ['off', { measuredW: 1_000, committedW: 0, ratedW: 20_000 }],
      ['later', { measuredW: 5_000, committedW: 5_000, ratedW: 20_000 }],
    ]);
    const out = drDelivery(groups, [record('off', { type: 'IMPORT_CAPACITY_LIMIT', values: [0] }), record('later', { type: 'SIMPLE', values: [1] }, '2023-01-11T16:00:00Z')], NOW);
    expect(out).toEqual([{ gridEventId: 'off', targetKW: 0, deliveredKW: 1, shortfallPercent: 100 }]);
  });
});
