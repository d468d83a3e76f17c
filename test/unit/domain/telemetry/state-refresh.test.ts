import { describe, expect, it } from 'vitest';
import { needsStateWrite } from '../../../../functions/domain/telemetry/state-refresh.ts';
import type { DeviceState } from '../../../../functions/ports/stores.ts';
import type { TelemetryMessage } from '../../../../schemas/telemetry.ts';

const stored: DeviceState = {
  schema: 'hearth.telemetry/1',
  deviceId: 'h',
  seq: 10,
  ts: '2023-01-10T12:00:00Z',
  roomC: 20,
  powerW: 800,
  computeW: 800,
  chipC: 40,
  planVersion: 3,
  mode: 'auto',
  receivedAt: '2023-01-10T12:00:01Z',
};
const next = (over: Partial<TelemetryMessage>): TelemetryMessage => {
  const { receivedAt: _r, ...base } = stored;
  return { ...base, seq: 11, ts: '2023-01-10T12:01:00Z', ...over };
};

describe('needsStateWrite: when a newer message moves the latest state', () => {
  it('always when there is none yet, or once the stored one is five minutes old', () => {
    expect(needsStateWrite(undefined, next({}))).toBe(true);
    expect(needsStateWrite(stored, next({ ts: '2023-01-10T12:04:59Z' }))).toBe(false);
    expect(needsStateWrite(stored, next({ ts: '2023-01-10T12:05:00Z' }))).toBe(true);
  });

  it('at once on a material change: plan version, mode, power, room or chip temperature', () => {
    expect(needsStateWrite(stored, next({ planVersion: 4 }))).toBe(true);
    expect(needsStateWrite(stored, next({ mode: 'fallback' }))).toBe(true);
    expect(needsStateWrite(stored, next({ powerW: 400, computeW: 400 }))).toBe(true);
    expect(needsStateWrite(stored, next({ roomC: 20.2 }))).toBe(true);
    expect(needsStateWrite(stored, next({ roomC: 20.1 }))).toBe(false);
    expect(needsStateWrite(stored, next({ chipC: 46 }))).toBe(true);
    expect(needsStateWrite(stored, next({ chipC: undefined }))).toBe(true);
  });
});
