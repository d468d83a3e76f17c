import { naiveTimestampMs } from './naive-timestamp.ts';

/** A naive stamp (see naive-timestamp.ts) followed by `Z` or a `±HH:MM` / `±HHMM` offset. */
const WITH_OFFSET = /^(.*?)(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Milliseconds of a timestamp that carries its own UTC offset (`2022-11-06 01:00:00-05:00`,
 * `2024-10-07T22:00Z`), or undefined when the text has no offset or is not a timestamp. Sources that write
 * local time WITH the offset (ERCOT via gridstatus, NWS, ENTSO-E) are unambiguous even in the repeated
 * autumn hour, so they never need a time-zone database.
 */
export function offsetTimestampMs(text: string): number | undefined {
  const m = WITH_OFFSET.exec(text.trim());
  if (!m) return undefined;
  const [, naive, offset] = m as unknown as [string, string, string];
  const wallMs = naiveTimestampMs(naive);
  if (wallMs === undefined) return undefined;
  if (offset === 'Z') return wallMs;
  const digits = offset.replace(':', '');
  const hours = Number(digits.slice(1, 3));
  const minutes = Number(digits.slice(3, 5));
  if (hours > 18 || minutes > 59) return undefined;
  const sign = offset.startsWith('-') ? -1 : 1;
  return wallMs - sign * (hours * 60 + minutes) * 60_000;
}

/** True when the stamp carries `Z` or an offset, i.e. must not be read as naive wall-clock time. */
export const hasOffset = (text: string): boolean => offsetTimestampMs(text) !== undefined;
