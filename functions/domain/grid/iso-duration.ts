/**
 * ISO-8601 durations as OpenADR uses them (`PT4H`, `PT30M`, `P1D`, `P9999Y`). Years and months have no fixed
 * length; OpenADR uses `P9999Y` for "open-ended", which is answered as Infinity, and a month counts 30 days.
 */
const DURATION = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export const OPEN_ENDED_YEARS = 9999;

export function durationMs(text: string): number {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) throw new Error(`"${text}" is not an ISO-8601 duration such as PT1H`);
  const [, y, mo, w, d, h, mi, s] = m.map((v) => (v === undefined ? 0 : Number(v))) as number[];
  if (y! >= OPEN_ENDED_YEARS) return Infinity;
  const days = y! * 365 + mo! * 30 + w! * 7 + d!;
  return ((days * 24 + h!) * 60 + mi!) * 60_000 + s! * 1000;
}
