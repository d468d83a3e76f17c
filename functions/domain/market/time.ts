/** UTC day arithmetic for market series: items are keyed by UTC day, whatever the market's own calendar. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** An instant as stored and published: UTC, whole seconds, `Z` (e.g. `2023-01-02T00:15:00Z`). */
export const toInstant = (ms: number): string => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

/** `YYYY-MM-DD` of the UTC day holding the instant. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Start of a `YYYY-MM-DD` UTC day. */
export const utcDayStartMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);

export const startOfUtcDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;
