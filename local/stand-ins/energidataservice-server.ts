import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnergiDataServiceCsv } from '../../functions/adapters/prices/energidataservice-csv.ts';
import { naiveTimestampMs } from '../../functions/domain/time/naive-timestamp.ts';
import { wallClock, zonedWallClockToUtcMs } from '../../functions/domain/time/zoned-time.ts';
import { DAY_MS, MINUTE_MS, utcDayStartMs } from '../../functions/domain/market/time.ts';
import { startJsonStandIn, type JsonAnswer, type StandInServer } from './json-http-server.ts';

/**
 * Energi Data Service on the local twin: `GET /dataset/DayAheadPrices` with `start`, `end` (Danish wall-clock
 * time), `filter={"PriceArea":[…]}`, `sort`, `limit`, `offset`, answering `{total, filters, limit, dataset,
 * records}` like the real API.
 *
 * Data: the repo's EDS CSV samples (hourly, 2023). Each hourly price is served as FOUR 15-minute records
 * with the same price, the shape the dataset has had since 2025-10-01. `DayAheadPriceDKK` is derived from
 * EUR at the ERM II central rate, not the published DKK price.
 *
 * Honest timing: delivery day D (Danish date) is served only once the virtual clock has passed 12:45
 * Europe/Copenhagen on D−1, when the day-ahead auction results come out.
 *
 * Error bodies (`{statusCode, error, message}`) approximate the real API's; an unknown PriceArea simply
 * matches no record, as a filter does.
 */
export interface EnergiDataServiceStandInOptions {
  port?: number;
  now: () => Date;
  /** EDS CSV files to serve; by default every `.csv` in `data/samples/prices`. */
  priceFiles?: readonly string[];
}

const DANISH_TIME = 'Europe/Copenhagen';
const DKK_PER_EUR = 7.46038;
const QUARTER_MS = 15 * MINUTE_MS;
const DEFAULT_LIMIT = 100;
const PUBLICATION_HOUR = 12;
const PUBLICATION_MINUTE = 45;
const SAMPLE_DIR = fileURLToPath(new URL('../../data/samples/prices/', import.meta.url));

interface QuarterRecord {
  utcMs: number;
  zone: string;
  eur: number;
  /** The instant day D's prices are published: 12:45 Danish time on D−1. */
  publishedMs: number;
}

export const defaultPriceFiles = (): string[] =>
  readdirSync(SAMPLE_DIR)
    .filter((f) => f.endsWith('.csv'))
    .map((f) => join(SAMPLE_DIR, f));

function publicationMs(utcMs: number): number {
  const deliveryDay = utcDayStartMs(wallClock(utcMs, DANISH_TIME).slice(0, 10));
  return zonedWallClockToUtcMs(deliveryDay - DAY_MS + (PUBLICATION_HOUR * 60 + PUBLICATION_MINUTE) * MINUTE_MS, DANISH_TIME);
}

function loadQuarterRecords(files: readonly string[]): QuarterRecord[] {
  const records: QuarterRecord[] = [];
  for (const file of files) {
    for (const curve of parseEnergiDataServiceCsv(readFileSync(file, 'utf8'), file)) {
      const intervalMs = curve.resolutionMinutes * MINUTE_MS;
      for (const p of curve.points) {
        const startMs = Date.parse(p.start);
        for (let t = startMs; t < startMs + intervalMs; t += QUARTER_MS) {
          records.push({ utcMs: t, zone: curve.zone, eur: p.price, publishedMs: publicationMs(t) });
        }
      }
    }
  }
  return records;
}

class BadRequest extends Error {}

/** `yyyy`, `yyyy-MM`, `yyyy-MM-dd` or `yyyy-MM-ddTHH:mm`, Danish time, as the real API accepts. */
function danishTimeParam(url: URL, name: string): number | undefined {
  const text = url.searchParams.get(name);
  if (text === null || text === '') return undefined;
  const padded = /^\d{4}$/.test(text) ? `${text}-01-01T00:00` : /^\d{4}-\d{2}$/.test(text) ? `${text}-01T00:00` : /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00` : text;
  const wallMs = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(padded) ? naiveTimestampMs(padded) : undefined;
  if (wallMs === undefined) throw new BadRequest(`${name}=${text} is not yyyy, yyyy-MM, yyyy-MM-dd or yyyy-MM-ddTHH:mm`);
  return zonedWallClockToUtcMs(wallMs, DANISH_TIME);
}

function areaFilter(url: URL): Set<string> | undefined {
  const text = url.searchParams.get('filter');
  if (text === null || text === '') return undefined;
  let filter: unknown;
  try {
    filter = JSON.parse(text);
  } catch {
    throw new BadRequest(`filter is not JSON: ${text}`);
  }
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) throw new BadRequest('filter must be a JSON object of column → values');
  for (const column of Object.keys(filter)) if (column !== 'PriceArea') throw new BadRequest(`filter column ${column} does not exist`);
  const areas = (filter as { PriceArea?: unknown }).PriceArea;
  const list = Array.isArray(areas) ? areas : [areas];
  if (!list.every((a) => typeof a === 'string')) throw new BadRequest('filter PriceArea must be a string or a list of strings');
  return new Set(list as string[]);
}

function sortDescending(url: URL): boolean {
  const text = (url.searchParams.get('sort') ?? 'TimeUTC desc').trim();
  const m = /^(TimeUTC|TimeDK)(?:\s+(asc|desc))?$/i.exec(text);
  if (!m) throw new BadRequest(`sort=${text}: only TimeUTC or TimeDK, asc or desc, are served here`);
  return (m[2] ?? 'asc').toLowerCase() === 'desc';
}

function countParam(url: URL, name: string, fallback: number): number {
  const text = url.searchParams.get(name);
  if (text === null || text === '') return fallback;
  if (!/^\d+$/.test(text)) throw new BadRequest(`${name}=${text} is not a non-negative integer`);
  return Number(text);
}

function answer(url: URL, records: readonly QuarterRecord[], nowMs: number): JsonAnswer {
  const dataset = /^\/dataset\/([^/]+)$/.exec(url.pathname)?.[1];
  if (dataset !== 'DayAheadPrices') {
    return { status: 404, body: { statusCode: 404, error: 'Not Found', message: `dataset ${dataset ?? url.pathname} is not served here` } };
  }
  try {
    const fromMs = danishTimeParam(url, 'start') ?? -Infinity;
    const toMs = danishTimeParam(url, 'end') ?? Infinity;
    const areas = areaFilter(url);
    const descending = sortDescending(url);
    const limit = countParam(url, 'limit', DEFAULT_LIMIT);
    const offset = countParam(url, 'offset', 0);
    const matching = records
      .filter((r) => r.publishedMs <= nowMs && r.utcMs >= fromMs && r.utcMs < toMs && (!areas || areas.has(r.zone)))
      .sort((a, b) => (descending ? b.utcMs - a.utcMs : a.utcMs - b.utcMs) || a.zone.localeCompare(b.zone));
    const page = matching.slice(offset, limit === 0 ? undefined : offset + limit);
    return {
      status: 200,
      body: {
        total: matching.length,
        ...(url.searchParams.has('filter') ? { filters: url.searchParams.get('filter') } : {}),
        limit,
        dataset,
        records: page.map((r) => ({
          TimeUTC: new Date(r.utcMs).toISOString().slice(0, 19),
          TimeDK: wallClock(r.utcMs, DANISH_TIME),
          PriceArea: r.zone,
          DayAheadPriceDKK: Math.round(r.eur * DKK_PER_EUR * 1e6) / 1e6,
          DayAheadPriceEUR: r.eur,
        })),
      },
    };
  } catch (e) {
    if (e instanceof BadRequest) return { status: 400, body: { statusCode: 400, error: 'Bad Request', message: e.message } };
    throw e;
  }
}

export async function startEnergiDataServiceServer(options: EnergiDataServiceStandInOptions): Promise<StandInServer> {
  const records = loadQuarterRecords(options.priceFiles ?? defaultPriceFiles());
  return startJsonStandIn({ port: options.port, route: (url) => answer(url, records, options.now().getTime()) });
}
