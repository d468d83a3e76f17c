/**
 * What room-model learning reads from telemetry: the room temperature, the power drawn and the outdoor
 * temperature at an instant. The power is taken to hold until the next sample (what a heater following a
 * plan of steps does) and the outdoor temperature to move linearly between samples.
 */
export interface RoomSample {
  timeMs: number;
  roomC: number;
  powerW: number;
  outdoorC: number;
}

/** One interval between consecutive samples of a segment. */
export interface SampleInterval {
  hours: number;
  powerW: number;
  /** Mean outdoor temperature over the interval. */
  outdoorC: number;
}

/** A stretch of evenly usable samples: temperatures at N + 1 instants and the N intervals between them. */
export interface SampleSegment {
  roomC: number[];
  intervals: SampleInterval[];
}

/** Samples further apart than this break a segment: a device offline for hours says nothing about the room. */
export const MAX_GAP_HOURS = 1;

/**
 * Sorts samples, drops repeated instants, and cuts them into segments at gaps and every `segmentHours`, so
 * that an output-error fit restarts its simulation from a measured state now and then and a slow
 * disturbance the model does not know of (sun, a window left open) cannot accumulate over weeks.
 */
export function segmentSamples(samples: readonly RoomSample[], segmentHours: number): SampleSegment[] {
  const sorted = samples.filter((s) => Number.isFinite(s.timeMs)).sort((x, y) => x.timeMs - y.timeMs);
  const segments: SampleSegment[] = [];
  let current: SampleSegment | undefined;
  let startMs = 0;
  let previous: RoomSample | undefined;
  const close = () => {
    if (current && current.intervals.length > 0) segments.push(current);
  };
  for (const sample of sorted) {
    if (previous && sample.timeMs === previous.timeMs) continue;
    if (!current || !previous || (sample.timeMs - previous.timeMs) / 3_600_000 > MAX_GAP_HOURS) {
      close();
      current = { roomC: [sample.roomC], intervals: [] };
      startMs = sample.timeMs;
    } else {
      if ((sample.timeMs - startMs) / 3_600_000 > segmentHours) {
        // Cut here; the new segment starts at the previous sample, so no interval is lost.
        close();
        current = { roomC: [previous.roomC], intervals: [] };
        startMs = previous.timeMs;
      }
      current.intervals.push(intervalBetween(previous, sample));
      current.roomC.push(sample.roomC);
    }
    previous = sample;
  }
  close();
  return segments;
}

function intervalBetween(from: RoomSample, to: RoomSample): SampleInterval {
  return { hours: (to.timeMs - from.timeMs) / 3_600_000, powerW: from.powerW, outdoorC: (from.outdoorC + to.outdoorC) / 2 };
}
