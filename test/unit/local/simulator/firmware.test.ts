import { describe, expect, it } from 'vitest';
import { decidePower, plannedPowerAt, type FirmwareInput } from '../../../../local/simulator/firmware.ts';
import type { PlanDocument } from '../../../../schemas/shadow.ts';

const plan: PlanDocument = {
  v: 4,
  start: '2023-01-10T12:00:00Z',
  stepS: 900,
  powerW: [1000, 700, 0, 1500],
  validUntil: '2023-01-10T12:45:00Z',
  fallback: { minC: 19, maxC: 21 },
};

const input = (over: Partial<FirmwareInput> = {}): FirmwareInput => ({
  now: new Date('2023-01-10T12:20:00Z'),
  plan,
  config: {
    mode: 'auto',
    timezone: 'Europe/Copenhagen',
    comfort: [
      { from: '07:00', minC: 20, maxC: 22 },
      { from: '23:00', minC: 16, maxC: 18 },
    ],
    safety: { maxRoomC: 30, maxChipC: 85 },
  },
  fallback: { minC: 17, maxC: 19 },
  levels: [
    { powerW: 500, computeW: 450 },
    { powerW: 1000, computeW: 950 },
    { powerW: 1500, computeW: 1400 },
  ],
  roomC: 20,
  chipC: 40,
  state: { heating: false },
  ...over,
});

describe('reference firmware', () => {
  it('draws the current plan step, snapped down to a level, and names the plan version', () => {
    expect(decidePower(input({ now: new Date('2023-01-10T12:00:00Z') }))).toMatchObject({ powerW: 1000, mode: 'auto', appliedPlanVersion: 4 });
    // step 1 plans 700 W: the highest level not above it is 500 W
    expect(decidePower(input())).toMatchObject({ powerW: 500, mode: 'auto', appliedPlanVersion: 4 });
    expect(decidePower(input({ now: new Date('2023-01-10T12:44:59Z') }))).toMatchObject({ powerW: 0, mode: 'auto' });
  });

  it("falls back to the thermostat in the plan's band once the plan has expired or before it starts", () => {
    for (const now of [new Date('2023-01-10T12:45:00Z'), new Date('2023-01-10T11:59:59Z')]) {
      expect(plannedPowerAt(plan, now)).toBeUndefined();
      const cold = decidePower(input({ now, roomC: 18.9 }));
      expect(cold).toEqual({ powerW: 1500, mode: 'fallback', state: { heating: true } });
      // between minC and the midpoint the relay keeps its state
      expect(decidePower(input({ now, roomC: 19.5, state: cold.state })).powerW).toBe(1500);
      expect(decidePower(input({ now, roomC: 19.5 })).powerW).toBe(0);
      // at the midpoint it switches off
      expect(decidePower(input({ now, roomC: 20, state: cold.state }))).toEqual({ powerW: 0, mode: 'fallback', state: { heating: false } });
    }
  });

  it("uses the device's own band before any plan arrived", () => {
    const { plan: _plan, ...noPlan } = input({ roomC: 16.5 });
    expect(decidePower(noPlan)).toMatchObject({ powerW: 1500, mode: 'fallback' });
    expect(decidePower({ ...noPlan, roomC: 17.5 }).powerW).toBe(0);
  });

  it('cuts power on a safety limit whatever the plan or mode says', () => {
    expect(decidePower(input({ chipC: 85 }))).toEqual({ powerW: 0, mode: 'safety', state: { heating: false } });
    expect(decidePower(input({ roomC: 30 }))).toMatchObject({ powerW: 0, mode: 'safety' });
    const manual = input({ roomC: 31, now: new Date('2023-01-10T12:50:00Z'), state: { heating: true } });
    expect(decidePower({ ...manual, config: { ...manual.config, mode: 'manual' } })).toMatchObject({ powerW: 0, mode: 'safety' });
  });

  it("draws nothing in mode 'off'", () => {
    const off = input({ roomC: 5 });
    expect(decidePower({ ...off, config: { ...off.config, mode: 'off' } })).toEqual({ powerW: 0, mode: 'off', state: { heating: false } });
  });

  it("ignores the plan in mode 'manual' and keeps the household's schedule at local time", () => {
    const manual = input({ roomC: 19.5 });
    const config = { ...manual.config, mode: 'manual' as const };
    // 12:20Z is 13:20 in Copenhagen: the 20–22 °C period
    expect(decidePower({ ...manual, config })).toEqual({ powerW: 1500, mode: 'manual', state: { heating: true } });
    // 23:20Z is 00:20 local: the 16–18 °C period, and 19.5 °C is above its midpoint
    expect(decidePower({ ...manual, config, now: new Date('2023-01-10T23:20:00Z'), state: { heating: true } }).powerW).toBe(0);
  });
});
