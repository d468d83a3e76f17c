const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Milliseconds as the ISO-8601 duration OpenADR writes (`PT1H`, `PT15M`, `P1DT2H`, `PT0S`); whole days as `D`. */
export function durationText(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`${ms} ms is not a duration`);
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const hours = Math.floor(rest / HOUR_MS);
  rest -= hours * HOUR_MS;
  const minutes = Math.floor(rest / MINUTE_MS);
  const seconds = (rest - minutes * MINUTE_MS) / SECOND_MS;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  if (!days && !time) return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}
