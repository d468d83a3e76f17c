import type { TelemetryMessage } from '../../../schemas/telemetry.ts';

/** A stretch of time, [startMs, endMs). */
export interface TimeWindow {
  startMs: number;
  endMs: number;
}

/** The power a device reported at one instant of its own clock. */
export interface PowerSample {
  atMs: number;
  powerW: number;
}

/** Energy measured over a window, and how much of the window the telemetry covered. */
export interface MeasuredEnergy {
  kWh: number;
  coveredMs: number;
  spanMs: number;
}

/**
 * A message reports the power the heater chose at `ts`, held until its next message (the firmware steps its
 * power and reports each step). A device that reports every minute is never silent for long; past this hold a
 * sample no longer speaks for the time after it, and that time counts as missing. 15 minutes: the step of
 * the local twin's devices and of settlement, so a twin device's every step is covered and a real device
 * (one message a minute) may miss a few messages before a gap opens.
 */
export const DEFAULT_MAX_HOLD_MS = 15 * 60_000;

const MS_PER_KWH_AT_1W = 3_600_000 * 1000;

/**
 * One device's power samples, in device time order, from its telemetry history. Messages of other devices and
 * redeliveries (same time and sequence) are left out; of two messages at the same instant the later sequence
 * wins, as the device meant it to.
 */
export function powerSamples(messages: readonly TelemetryMessage[], deviceId: string): PowerSample[] {
  const byInstant = new Map<number, { seq: number; powerW: number }>();
  for (const m of messages) {
    if (m.deviceId !== deviceId) continue;
    const atMs = Date.parse(m.ts);
    if (Number.isNaN(atMs)) continue;
    const held = byInstant.get(atMs);
    if (!held || held.seq <= m.seq) byInstant.set(atMs, { seq: m.seq, powerW: m.powerW });
  }
  return [...byInstant.entries()].sort((a, b) => a[0] - b[0]).map(([atMs, { powerW }]) => ({ atMs, powerW }));
}

/** Index of the last sample at or before `ms`, or −1. */
function lastAtOrBefore(samples: readonly PowerSample[], ms: number): number {
  let lo = 0;
  let hi = samples.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid]!.atMs <= ms) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Energy over a window from samples sorted by time: each sample's power times the part of the window it holds
 * (until the next sample, at most `maxHoldMs`). Time no sample holds is not filled in: it is reported as not
 * covered, so callers can flag it rather than invent it.
 */
export function measureEnergy(samples: readonly PowerSample[], window: TimeWindow, maxHoldMs = DEFAULT_MAX_HOLD_MS): MeasuredEnergy {
  const spanMs = Math.max(0, window.endMs - window.startMs);
  let wattMs = 0;
  let coveredMs = 0;
  for (let i = Math.max(0, lastAtOrBefore(samples, window.startMs)); i < samples.length; i++) {
    const sample = samples[i]!;
    if (sample.atMs >= window.endMs) break;
    const next = samples[i + 1]?.atMs ?? Infinity;
    const holdEnd = Math.min(next, sample.atMs + maxHoldMs);
    const from = Math.max(sample.atMs, window.startMs);
    const to = Math.min(holdEnd, window.endMs);
    if (to <= from) continue;
    wattMs += sample.powerW * (to - from);
    coveredMs += to - from;
  }
  return { kWh: wattMs / MS_PER_KWH_AT_1W, coveredMs, spanMs };
}

export const isComplete = (m: MeasuredEnergy): boolean => m.coveredMs >= m.spanMs;
