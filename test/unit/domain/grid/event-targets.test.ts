import { describe, expect, it } from 'vitest';
import { devicesTargeted, FLEET_WIDE_PROGRAM } from '../../../../functions/domain/grid/event-targets.ts';
import { generateFleet } from '../../../../local/fleet/generate-fleet.ts';

const fleet = generateFleet(6, 1).map((h, i) => ({
  ...h.record,
  drProgramId: i < 4 ? 'winter-flex' : 'other',
  feederId: `F${i % 2}`,
}));
const ids = (devices: { deviceId: string }[]) => devices.map((d) => d.deviceId);

describe('devicesTargeted', () => {
  it('takes the devices enrolled in the event’s program, every device for a fleet-wide dispatch', () => {
    expect(ids(devicesTargeted({ programID: 'winter-flex' }, fleet))).toEqual(['heater-001', 'heater-002', 'heater-003', 'heater-004']);
    expect(devicesTargeted({ programID: FLEET_WIDE_PROGRAM }, fleet)).toHaveLength(6);
    expect(devicesTargeted({ programID: 'unknown' }, fleet)).toEqual([]);
  });

  it('narrows to 3.1 string targets: a device id, a feeder, a zone or a thing-group name', () => {
    expect(ids(devicesTargeted({ programID: 'winter-flex', targets: ['heater-002'] }, fleet))).toEqual(['heater-002']);
    expect(ids(devicesTargeted({ programID: 'winter-flex', targets: ['F1'] }, fleet))).toEqual(['heater-002', 'heater-004']);
    expect(ids(devicesTargeted({ programID: 'winter-flex', targets: ['feeder-F0'] }, fleet))).toEqual(['heater-001', 'heater-003']);
    expect(devicesTargeted({ programID: 'winter-flex', targets: ['zone-DK2'] }, fleet)).toHaveLength(4);
    expect(devicesTargeted({ programID: 'winter-flex', targets: ['nobody'] }, fleet)).toEqual([]);
  });

  it('reads 3.0 values-map targets by type and does not drop an event for a type it cannot read', () => {
    expect(ids(devicesTargeted({ programID: 'winter-flex', targets: [{ type: 'RESOURCE_NAME', values: ['heater-003', 'heater-006'] }] }, fleet))).toEqual(['heater-003']);
    expect(ids(devicesTargeted({ programID: 'winter-flex', targets: [{ type: 'GROUP', values: ['F0'] }] }, fleet))).toEqual(['heater-001', 'heater-003']);
    expect(devicesTargeted({ programID: 'winter-flex', targets: [{ type: 'POSTAL_CODE', values: ['2100'] }] }, fleet)).toHaveLength(4);
    expect(devicesTargeted({ programID: 'winter-flex', targets: [] }, fleet)).toHaveLength(4);
  });
});
