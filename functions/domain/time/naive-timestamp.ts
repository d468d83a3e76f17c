/** `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]`, optionally with `Z`: the zone-less stamps EDS and Open-Meteo write. */
const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?Z?$/;

/**
 * Milliseconds of a zone-less timestamp read as UTC wall-clock time, or undefined when the text is not one
 * (or names an impossible date such as 02-30). Callers shift it by the offset the source documents.
 */
export function naiveTimestampMs(text: string): number | undefined {
  const m = NAIVE.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const d = new Date(ms);
  const roundTrips = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day && d.getUTCHours() === hour && d.getUTCMinutes() === minute;
  return roundTrips ? ms : undefined;
}
