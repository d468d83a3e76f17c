import * as z from 'zod';
import { explainIssues } from '../../../schemas/explain.ts';
import type { PriceCurve } from '../../../schemas/price-curve.ts';
import { DAY_MS, MINUTE_MS } from '../../domain/market/time.ts';
import { fetchTextWithRetry, parseJsonBody } from '../http/fetch-with-retry.ts';
import { offsetTimestampMs } from '../../domain/time/offset-timestamp.ts';
import { wallClock } from '../../domain/time/zoned-time.ts';
import { cutToWindow, mergeAtFinest, selectCurves, type FetchOptions, type FetchRequest, type ParseOptions, type PriceSourceAdapter, type Resolution } from './price-source.ts';
import { priceCurvesFromRows, type PriceRow } from './price-rows.ts';
import { clipped, quoted } from './quoted.ts';

export const NORDPOOL_URL = 'https://dataportal-api.nordpoolgroup.com';
const WHAT = 'Nord Pool Data Portal JSON';

const Entry = z.looseObject({
  deliveryStart: z.string(),
  deliveryEnd: z.string(),
  // null: an area the auction gave no price for (e.g. decoupled); it becomes a hole and is refused.
  entryPerArea: z.record(z.string(), z.number().nullable()),
});

/** `DayAheadPrices` lists areas' prices in `multiAreaEntries`; `DayAheadPriceIndices` in `multiIndexEntries`. */
const Body = z.looseObject({
  currency: z.string().regex(/^[A-Z]{3}$/),
  deliveryAreas: z.array(z.string()).optional(),
  indexNames: z.array(z.string()).optional(),
  multiAreaEntries: z.array(z.unknown()).optional(),
  multiIndexEntries: z.array(z.unknown()).optional(),
});

/**
 * Every area's prices in a Nord Pool Data Portal answer: `DayAheadPrices` (hourly until 2025-09-30, 15 minutes
 * since) or `DayAheadPriceIndices` (the `resolutionInMinutes` asked for). Entries carry UTC `deliveryStart`
 * and `deliveryEnd`, so the resolution is read from each entry and DST days need nothing special. Prices are
 * per MWh in the top-level `currency` (EUR, or the one asked for: SEK, NOK, DKK…).
 */
export function parseNordPool(document: string, options?: ParseOptions): PriceCurve[] {
  const body = Body.safeParse(parseJsonBody(document, WHAT));
  if (!body.success) throw new Error(`${WHAT} is invalid: ${explainIssues(body.error)}`);
  const { currency, multiAreaEntries, multiIndexEntries } = body.data;
  const field = multiAreaEntries ? 'multiAreaEntries' : multiIndexEntries ? 'multiIndexEntries' : undefined;
  if (!field) throw new Error(`${WHAT} has neither multiAreaEntries (DayAheadPrices) nor multiIndexEntries (DayAheadPriceIndices)`);
  const entries = (multiAreaEntries ?? multiIndexEntries)!;
  const areas = new Set(body.data.deliveryAreas ?? body.data.indexNames ?? []);

  const byResolution = new Map<Resolution, PriceRow[]>();
  entries.forEach((raw, i) => {
    const position = `${field}[${i}]`;
    const entry = Entry.safeParse(raw);
    if (!entry.success) throw new Error(`${WHAT}: ${position} is invalid: ${explainIssues(entry.error)}`);
    const startMs = offsetTimestampMs(entry.data.deliveryStart);
    const endMs = offsetTimestampMs(entry.data.deliveryEnd);
    if (startMs === undefined || endMs === undefined) throw new Error(`${WHAT}: ${position} delivery times are not instants`);
    const minutes = (endMs - startMs) / MINUTE_MS;
    if (minutes !== 15 && minutes !== 30 && minutes !== 60) throw new Error(`${WHAT}: ${position} lasts ${minutes} minutes; expected 15, 30 or 60`);
    const rows = byResolution.get(minutes) ?? [];
    byResolution.set(minutes, rows);
    for (const [area, price] of Object.entries(entry.data.entryPerArea)) {
      areas.add(area);
      if (price !== null) rows.push({ startMs, zone: area, price, position: `${position}.entryPerArea.${clipped(area)}` });
    }
  });
  if (entries.length === 0) throw new Error(`${WHAT}: ${field} is empty (prices not published yet?)`);
  const curves = [...byResolution.entries()].flatMap(([resolution, rows]) => {
    // An area listed but without a single price would vanish silently; say so instead.
    for (const area of areas) if (!rows.some((r) => r.zone === area)) throw new Error(`${WHAT}: ${field} has no price for ${quoted(area)}`);
    return priceCurvesFromRows(rows, { source: 'nordpool', what: WHAT, nominalResolutionMinutes: resolution, resolutionMinutes: resolution, currency });
  });
  return selectCurves(curves, options, WHAT);
}

/** Nord Pool's delivery day is the CET/CEST calendar day. */
const cetDate = (ms: number): string => wallClock(ms, 'Europe/Oslo').slice(0, 10);

export function nordPoolUrl(baseUrl: string, zone: string, date: string, currency: string): string {
  const query = [`date=${date}`, 'market=DayAhead', `deliveryArea=${encodeURIComponent(zone)}`, `currency=${currency}`];
  return `${baseUrl.replace(/\/+$/, '')}/api/DayAheadPrices?${query.join('&')}`;
}

/**
 * The zone's prices in [from, to): one request per CET delivery day the window touches (two or three for
 * Hearth's today-and-tomorrow window), in parallel so a slow API costs one timeout, not three. A day not yet
 * published is answered with an empty 204 body and left out; a window with no published day is an error.
 */
async function fetchNordPool(request: FetchRequest, options: FetchOptions & { currency?: string }): Promise<PriceCurve> {
  const currency = options.currency ?? 'EUR';
  const dates = new Set<string>();
  for (let ms = request.from.getTime(); ms < request.to.getTime(); ms += DAY_MS / 4) dates.add(cetDate(ms));
  dates.add(cetDate(request.to.getTime() - 1));
  const what = `Nord Pool DayAheadPrices for ${request.zone}`;
  const texts = await Promise.all(
    [...dates].map((date) => fetchTextWithRetry(nordPoolUrl(options.baseUrl ?? NORDPOOL_URL, request.zone, date, currency), { ...options, what: `${what} on ${date}` })),
  );
  const curves = texts.filter((t) => t.trim() !== '').flatMap((t) => parseNordPool(t, { zone: request.zone }));
  if (curves.length === 0) throw new Error(`${what}: no delivery day in the window is published yet`);
  // Each day is its own curve, and a day before 2025-10-01 is hourly next to 15-minute days after it.
  return cutToWindow(mergeAtFinest(curves, what), request, what);
}

export const nordPool: PriceSourceAdapter = { id: 'nordpool', what: WHAT, parse: parseNordPool, fetch: fetchNordPool };
