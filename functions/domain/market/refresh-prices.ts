import type { EventDetail } from '../../../schemas/events.ts';
import type { PriceCurve } from '../../../schemas/price-curve.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { MarketDataStore, MarketDay } from '../../ports/stores.ts';
import { forEachLimited } from '../concurrency/for-each-limited.ts';
import { PartialRefreshError, errorMessage, type RefreshFailure } from './refresh-error.ts';
import { contentHash, priceSeries } from './series-keys.ts';
import { splitByUtcDay } from './split-by-day.ts';
import { DAY_MS, MINUTE_MS, startOfUtcDay, toInstant, utcDayStartMs } from './time.ts';

/** Fetches a zone's day-ahead curve over [from, to); throws when the source fails or says nothing. */
export type PriceSource = (zone: string, from: Date, to: Date) => Promise<PriceCurve>;

export interface RefreshPricesPorts {
  source: PriceSource;
  store: MarketDataStore;
  events: EventPublisher;
  clock: Clock;
}

export interface RefreshPricesInput {
  zones: readonly string[];
  from: Date;
  to: Date;
}

export interface ZonePricesOutcome {
  zone: string;
  /** Days stored because they were new or their content changed. */
  changedDays: string[];
  unchangedDays: string[];
  published: boolean;
}

/** Zones fetched at once: every schedule lists a handful, and sources tolerate a few parallel requests. */
export const PRICE_CONCURRENCY = 4;

/** Prices stay for backtests and measurement & verification over a full heating season and more. */
export const PRICE_RETENTION_DAYS = 400;

/** Today (UTC) and tomorrow: tomorrow's day-ahead prices appear after the noon auction. */
export function dayAheadWindow(now: Date): { from: Date; to: Date } {
  const from = startOfUtcDay(now.getTime());
  return { from: new Date(from), to: new Date(from + 2 * DAY_MS) };
}

/**
 * Day-ahead prices are final once published, so a day is the union of what was stored and what arrived
 * (the new value wins where both have one): a narrower fetch never erases hours fetched before. A change of
 * resolution (the 2025-10-01 move to 15 minutes) replaces the day instead.
 */
function mergedDay(curve: PriceCurve, points: PriceCurve['points'], stored: MarketDay<PriceCurve> | undefined): PriceCurve {
  if (!stored || stored.payload.resolutionMinutes !== curve.resolutionMinutes) return { ...curve, points };
  const byStart = new Map(stored.payload.points.map((p) => [p.start, p]));
  for (const p of points) byStart.set(p.start, p);
  return { ...curve, points: [...byStart.values()].sort((a, b) => Date.parse(a.start) - Date.parse(b.start)) };
}

async function refreshZone(
  zone: string,
  input: RefreshPricesInput,
  ports: RefreshPricesPorts,
): Promise<{ outcome: ZonePricesOutcome; event?: EventDetail<'PricesPublished'> }> {
  const curve = await ports.source(zone, input.from, input.to);
  if (curve.zone !== zone) throw new Error(`asked for ${zone} prices, the source answered ${curve.zone}`);
  if (curve.points.length === 0) throw new Error(`the source answered no ${zone} prices`);
  const series = priceSeries(zone);
  const slices = splitByUtcDay(curve.points, (p) => p.start);
  const stored = new Map(
    (await ports.store.getDays<PriceCurve>(series, slices[0]!.day, slices[slices.length - 1]!.day)).map((d) => [d.day, d]),
  );
  const updatedAt = ports.clock.now().toISOString();
  const outcome: ZonePricesOutcome = { zone, changedDays: [], unchangedDays: [], published: false };
  const changed: PriceCurve[] = [];
  for (const slice of slices) {
    const payload = mergedDay(curve, slice.points, stored.get(slice.day));
    const hash = contentHash(payload);
    const expiresAt = new Date(utcDayStartMs(slice.day) + PRICE_RETENTION_DAYS * DAY_MS);
    const unchanged =
      stored.get(slice.day)?.hash === hash || (await ports.store.putDay({ series, day: slice.day, hash, updatedAt, payload }, expiresAt)) === 'unchanged';
    if (unchanged) outcome.unchangedDays.push(slice.day);
    else {
      outcome.changedDays.push(slice.day);
      changed.push(payload);
    }
  }
  if (changed.length === 0) return { outcome };
  const first = changed[0]!;
  const last = changed[changed.length - 1]!;
  const lastStart = Date.parse(last.points[last.points.length - 1]!.start);
  return {
    outcome: { ...outcome, published: true },
    event: {
      zone,
      source: curve.source,
      from: first.points[0]!.start,
      to: toInstant(lastStart + last.resolutionMinutes * MINUTE_MS),
      resolutionMinutes: curve.resolutionMinutes,
    },
  };
}

/**
 * Per zone: fetch, store each UTC day that is new or changed, then ONE `PricesPublished` covering those days
 * (none when nothing changed). Days are stored before the event goes out, so a consumer never reads older
 * data than the event announces; should publishing fail after the store, the hourly replan picks the prices
 * up. A failing zone does not stop the others: they are stored and announced, then a
 * `PartialRefreshError` makes the scheduler retry.
 */
export async function refreshPrices(input: RefreshPricesInput, ports: RefreshPricesPorts): Promise<ZonePricesOutcome[]> {
  const outcomes: ZonePricesOutcome[] = [];
  const events: EventDetail<'PricesPublished'>[] = [];
  const failures: RefreshFailure[] = [];
  // Zones in parallel: a source that times out costs the function one zone's retries, not one per zone.
  await forEachLimited(input.zones, PRICE_CONCURRENCY, async (zone) => {
    try {
      const { outcome, event } = await refreshZone(zone, input, ports);
      outcomes.push(outcome);
      if (event) events.push(event);
    } catch (e) {
      failures.push({ key: zone, message: errorMessage(e) });
    }
  });
  // Zones finish in any order; sorted, a run's outcome does not depend on network timing.
  const byZone = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  outcomes.sort((a, b) => byZone(a.zone, b.zone));
  events.sort((a, b) => byZone(a.zone, b.zone));
  failures.sort((a, b) => byZone(a.key, b.key));
  if (events.length > 0) await ports.events.publish('PricesPublished', events);
  if (failures.length > 0) throw new PartialRefreshError('price refresh', input.zones.length, failures, outcomes);
  return outcomes;
}
