import * as z from 'zod';
import { explainIssues } from '../../../schemas/explain.ts';
import type { PriceCurve } from '../../../schemas/price-curve.ts';
import { HOUR_MS, MINUTE_MS, toInstant } from '../../domain/market/time.ts';
import { fetchTextWithRetry, parseJsonBody, type RetryOptions } from '../http/fetch-with-retry.ts';
import { naiveTimestampMs } from '../../domain/time/naive-timestamp.ts';
import { wallClock } from '../../domain/time/zoned-time.ts';
import { priceCurvesFromRows, type PriceRow } from './price-rows.ts';
import { clipped, quoted } from './quoted.ts';

export const ENERGIDATASERVICE_SOURCE = 'energidataservice';

/**
 * The two EDS day-ahead datasets: `Elspotprices` (hourly, until 2025-09-30) and `DayAheadPrices` (15-minute,
 * from 2025-10-01). Both state the interval start as a zone-less timestamp that means UTC (`HourUTC`,
 * `TimeUTC`); the Danish-time column beside it repeats an hour every autumn and is not used.
 */
const DATASETS = {
  Elspotprices: { time: 'HourUTC', eur: 'SpotPriceEUR', nominalResolutionMinutes: 60 },
  DayAheadPrices: { time: 'TimeUTC', eur: 'DayAheadPriceEUR', nominalResolutionMinutes: 15 },
} as const;
type DatasetName = keyof typeof DATASETS;

const Envelope = z.looseObject({
  dataset: z.string().optional(),
  total: z.number().optional(),
  records: z.array(z.unknown()),
});

const recordSchema = (name: DatasetName) => {
  const d = DATASETS[name];
  return z.looseObject({ [d.time]: z.string(), PriceArea: z.string().min(1), [d.eur]: z.number() });
};

function datasetOf(envelope: z.infer<typeof Envelope>): DatasetName {
  if (envelope.dataset !== undefined) {
    if (envelope.dataset in DATASETS) return envelope.dataset as DatasetName;
    throw new Error(`Energi Data Service JSON is dataset ${clipped(envelope.dataset)}; expected Elspotprices or DayAheadPrices`);
  }
  const first = envelope.records[0];
  if (first && typeof first === 'object' && 'HourUTC' in first) return 'Elspotprices';
  return 'DayAheadPrices';
}

/**
 * Every zone's curve in an EDS `Elspotprices` or `DayAheadPrices` answer, EUR/MWh, ascending (the API sorts
 * newest first unless asked otherwise). A record that is malformed, repeated or leaves a hole is refused with
 * its index in `records`. An answer without records gives no curve.
 */
export function parseEnergiDataServiceJson(body: unknown): PriceCurve[] {
  const envelope = Envelope.safeParse(body);
  if (!envelope.success) throw new Error(`Energi Data Service JSON is invalid: ${explainIssues(envelope.error)}`);
  const dataset = datasetOf(envelope.data);
  const { time, eur, nominalResolutionMinutes } = DATASETS[dataset];
  const what = `Energi Data Service ${dataset} JSON`;
  const schema = recordSchema(dataset);
  const rows: PriceRow[] = envelope.data.records.map((raw, i) => {
    const position = `records[${i}]`;
    const record = schema.safeParse(raw);
    if (!record.success) throw new Error(`${what}: ${position} is invalid: ${explainIssues(record.error)}`);
    const stamp = record.data[time] as string;
    const startMs = naiveTimestampMs(stamp);
    if (startMs === undefined) throw new Error(`${what}: ${position}.${time} is not a timestamp: ${quoted(stamp)}`);
    return { startMs, zone: record.data.PriceArea as string, price: record.data[eur] as number, position };
  });
  return priceCurvesFromRows(rows, { source: ENERGIDATASERVICE_SOURCE, what, nominalResolutionMinutes });
}

export interface FetchDayAheadPricesOptions extends Partial<Pick<RetryOptions, 'attempts' | 'backoffMs' | 'fetchImpl'>> {
  /** `https://api.energidataservice.dk`, or the local stand-in. */
  baseUrl: string;
  zone: string;
  from: Date;
  to: Date;
  timeoutMs: number;
}

/** EDS reads `start` and `end` as Danish wall-clock time. */
const EDS_TIME_ZONE = 'Europe/Copenhagen';
const edsTime = (ms: number): string => wallClock(ms, EDS_TIME_ZONE).slice(0, 16);
/** The API answers 100 records unless told otherwise; a 15-minute day has up to 100. */
const recordsToAsk = (fromMs: number, toMs: number): number => Math.ceil((toMs - fromMs) / (15 * MINUTE_MS)) + 8;

export function dayAheadPricesUrl(baseUrl: string, zone: string, fromMs: number, toMs: number): string {
  const query = [
    `start=${encodeURIComponent(edsTime(fromMs))}`,
    `end=${encodeURIComponent(edsTime(toMs))}`,
    `filter=${encodeURIComponent(JSON.stringify({ PriceArea: [zone] }))}`,
    `sort=${encodeURIComponent('TimeUTC asc')}`,
    `limit=${recordsToAsk(fromMs, toMs)}`,
  ].join('&');
  return `${baseUrl.replace(/\/+$/, '')}/dataset/DayAheadPrices?${query}`;
}

/**
 * The zone's day-ahead prices in [from, to) from the `DayAheadPrices` dataset. Danish wall-clock time is
 * ambiguous for one autumn hour, so an hour more is asked on each side and the answer is cut in UTC.
 * Fails when the window holds no price (e.g. tomorrow before the auction results are out).
 */
export async function fetchDayAheadPrices(options: FetchDayAheadPricesOptions): Promise<PriceCurve> {
  const { zone, from, to } = options;
  const url = dayAheadPricesUrl(options.baseUrl, zone, from.getTime() - HOUR_MS, to.getTime() + HOUR_MS);
  const what = `Energi Data Service DayAheadPrices for ${zone}`;
  const text = await fetchTextWithRetry(url, { ...options, what });
  const body = parseJsonBody(text, what);
  const curve = parseEnergiDataServiceJson(body).find((c) => c.zone === zone);
  const total = (body as { total?: unknown }).total;
  const received = (body as { records: unknown[] }).records.length;
  if (typeof total === 'number' && total > received) {
    throw new Error(`${what}: the answer holds ${received} of ${total} records; the limit cut it short`);
  }
  const points = (curve?.points ?? []).filter((p) => {
    const ms = Date.parse(p.start);
    return ms >= from.getTime() && ms < to.getTime();
  });
  if (!curve || points.length === 0) {
    throw new Error(`${what}: no prices between ${toInstant(from.getTime())} and ${toInstant(to.getTime())}`);
  }
  return { ...curve, points };
}
