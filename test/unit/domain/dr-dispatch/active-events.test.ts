import { describe, expect, it } from 'vitest';
import { activeDrEvents } from '../../../../functions/domain/dr-dispatch/active-events.ts';
import type { GridEventRecord } from '../../../../functions/ports/stores.ts';

const record = (id: string, event: Record<string, unknown>, extra: Partial<GridEventRecord> = {}): GridEventRecord => ({
  gridEventId: id,
  programId: String(event.programID),
  modifiedAt: '2023-01-16T18:00:00.000Z',
  cancelled: false,
  receivedAt: '2023-01-16T18:00:00.000Z',
  event: { id, ...event },
  ...extra,
});
const simple = (level: number, start: string, duration = 'PT2H') => ({
  programID: 'winter-flex',
  intervalPeriod: { start, duration },
  intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [level] }] }],
});
const FROM = new Date('2023-01-17T00:00:00Z');
const TO = new Date('2023-01-19T00:00:00Z');

describe('activeDrEvents', () => {
  it('keeps events asking something of the horizon, most important first, with the program’s SIMPLE meaning', () => {
    const { active, unreadable } = activeDrEvents(
      [
        record('late', simple(1, '2023-01-17T16:00:00Z')),
        record('urgent', { ...simple(2, '2023-01-17T16:00:00Z'), priority: 0 }),
        record('past', simple(1, '2023-01-16T16:00:00Z')),
        record('gone', simple(1, '2023-01-17T16:00:00Z'), { cancelled: true }),
      ],
      FROM,
      TO,
      [{ programId: 'winter-flex', simpleShed: { '1': 0.5 } }],
    );
    expect(unreadable).toEqual([]);
    expect(active.map((e) => e.gridEventId)).toEqual(['urgent', 'late']);
    expect(active[1]!.directives).toEqual([{ start: new Date('2023-01-17T16:00:00Z'), end: new Date('2023-01-17T18:00:00Z'), shedFraction: 0.5 }]);
    expect(active[0]!.directives[0]!.shedFraction).toBe(0.6);
  });

  it('reports an event that no longer reads instead of failing the fleet’s planning', () => {
    const { active } = activeDrEvents([record('odd', simple(3, '2023-01-17T16:00:00Z'))], FROM, TO, [
      { programId: 'winter-flex', simpleShed: { '3': 1 } },
    ]);
    expect(active).toHaveLength(1);
    const broken = activeDrEvents([record('bad', { programID: 'x', intervals: [{ id: 0, payloads: [] }] })], FROM, TO);
    expect(broken.active).toEqual([]);
    expect(broken.unreadable[0]).toMatchObject({ gridEventId: 'bad' });
  });
});
