import type { PriceCurve } from '../../../schemas/price-curve.ts';
import { MINUTE_MS } from '../../domain/market/time.ts';
import { fetchTextWithRetry } from '../http/fetch-with-retry.ts';
import { offsetTimestampMs } from '../../domain/time/offset-timestamp.ts';
import { childText, childrenNamed, localName, optionalChild, parseXml, type XmlElement } from '../xml/strict-xml.ts';
import { cutToWindow, decimal, mergeAtFinest, selectCurves, type FetchOptions, type FetchRequest, type ParseOptions, type PriceSourceAdapter, type Resolution } from './price-source.ts';
import { priceCurvesFromRows, type PriceRow } from './price-rows.ts';
import { quoted, clipped } from './quoted.ts';

const WHAT = 'ENTSO-E A44 XML';
export const ENTSOE_URL = 'https://web-api.tp.entsoe.eu';

/**
 * Bidding-zone EIC codes → the zone names Hearth uses. A code not listed stays the zone (EICs are valid
 * zone names), so a new zone works before anyone adds it here.
 */
export const ENTSOE_ZONES: Readonly<Record<string, string>> = {
  '10YAT-APG------L': 'AT',
  '10YBE----------2': 'BE',
  '10YCH-SWISSGRIDZ': 'CH',
  '10YCZ-CEPS-----N': 'CZ',
  '10Y1001A1001A82H': 'DE-LU',
  '10YDK-1--------W': 'DK1',
  '10YDK-2--------M': 'DK2',
  '10Y1001A1001A39I': 'EE',
  '10YES-REE------0': 'ES',
  '10YFI-1--------U': 'FI',
  '10YFR-RTE------C': 'FR',
  '10YLT-1001A0008Q': 'LT',
  '10YLV-1001A00074': 'LV',
  '10YNL----------L': 'NL',
  '10YNO-1--------2': 'NO1',
  '10YNO-2--------T': 'NO2',
  '10YNO-3--------J': 'NO3',
  '10YNO-4--------9': 'NO4',
  '10Y1001A1001A48H': 'NO5',
  '10YPL-AREA-----S': 'PL',
  '10YPT-REN------W': 'PT',
  '10Y1001A1001A44P': 'SE1',
  '10Y1001A1001A45N': 'SE2',
  '10Y1001A1001A46L': 'SE3',
  '10Y1001A1001A47J': 'SE4',
};
const EIC_OF_ZONE = new Map(Object.entries(ENTSOE_ZONES).map(([eic, zone]) => [zone, eic]));

const RESOLUTIONS: Readonly<Record<string, Resolution>> = { PT15M: 15, PT30M: 30, PT60M: 60 };
/** A year of 15-minute steps (a leap year's): the API answers at most a year per request. */
const MAX_PERIOD_SLOTS = 366 * 96;

function instant(text: string, what: string): number {
  const ms = offsetTimestampMs(text);
  if (ms === undefined) throw new Error(`${WHAT}: ${what} is not a UTC instant: ${quoted(text)}`);
  return ms;
}

/** An A44 answer without prices is an Acknowledgement_MarketDocument carrying the reason (e.g. 999 "No matching data found"). */
function acknowledgementError(root: XmlElement): Error {
  const reasons = childrenNamed(root, 'Reason').map((r) => [optionalChild(r, 'code', WHAT)?.text.trim(), optionalChild(r, 'text', WHAT)?.text.trim()].filter(Boolean).join(' '));
  return new Error(`${WHAT}: the API answered an acknowledgement instead of prices: ${clipped(reasons.join('; '), 300) || 'no reason given'}`);
}

interface SeriesRows {
  zone: string;
  currency: string;
  resolution: Resolution;
  rows: PriceRow[];
}

/**
 * One `<Period>` as a price per position. Positions are 1-based slots of `resolution` from the period start;
 * the number of slots comes from the time interval, so a DST day has 23 or 25 hourly slots with no special
 * case. Curve type A03 ("variable sized block") leaves out a position whose price repeats the one before, so
 * a missing position takes the previous price, up to the end of the period; A01 lists every position, so a
 * missing one is a hole and refused.
 */
function periodRows(period: XmlElement, curveType: string, zone: string, label: string): { resolution: Resolution; rows: PriceRow[] } {
  const interval = optionalChild(period, 'timeInterval', WHAT);
  if (!interval) throw new Error(`${WHAT}: ${label} (line ${period.line}) has no <timeInterval>`);
  const startMs = instant(childText(interval, 'start', WHAT), `${label} start`);
  const endMs = instant(childText(interval, 'end', WHAT), `${label} end`);
  const resolutionText = childText(period, 'resolution', WHAT);
  const resolution = RESOLUTIONS[resolutionText];
  if (!resolution) throw new Error(`${WHAT}: ${label} (line ${period.line}) has resolution ${clipped(resolutionText)}; expected PT15M, PT30M or PT60M`);
  const stepMs = resolution * MINUTE_MS;
  const slots = (endMs - startMs) / stepMs;
  if (!Number.isInteger(slots) || slots < 1) {
    throw new Error(`${WHAT}: ${label} (line ${period.line}) interval is not a whole number of ${resolutionText} steps`);
  }
  // Curve type A03 fills every slot a price holds: a mistyped year must not make millions of them.
  if (slots > MAX_PERIOD_SLOTS) {
    throw new Error(`${WHAT}: ${label} (line ${period.line}) interval is ${slots} ${resolutionText} steps; a period of at most a year is read`);
  }

  const given: { position: number; price: number; line: number }[] = [];
  for (const point of childrenNamed(period, 'Point')) {
    const positionText = childText(point, 'position', WHAT);
    const where = `${label} position ${clipped(positionText)} (line ${point.line})`;
    const position = Number(positionText);
    if (!/^\d+$/.test(positionText) || position < 1 || position > slots) {
      throw new Error(`${WHAT}: ${where} is outside 1…${slots}`);
    }
    const previous = given[given.length - 1];
    if (previous && position <= previous.position) {
      throw new Error(`${WHAT}: ${where} does not follow position ${previous.position}`);
    }
    given.push({ position, price: decimal(childText(point, 'price.amount', WHAT), WHAT, where, 'price.amount'), line: point.line });
  }
  if (given.length === 0) throw new Error(`${WHAT}: ${label} (line ${period.line}) has no <Point>`);
  if (given[0]!.position !== 1) {
    throw new Error(`${WHAT}: ${label} (line ${period.line}) starts at position ${given[0]!.position}: positions 1…${given[0]!.position - 1} have no price`);
  }

  const rows: PriceRow[] = [];
  given.forEach((g, k) => {
    const last = k + 1 < given.length ? given[k + 1]!.position - 1 : slots;
    if (curveType === 'A01' && last > g.position) {
      throw new Error(`${WHAT}: ${label} misses positions ${g.position + 1}…${last} after line ${g.line} (curve type A01 lists every position)`);
    }
    for (let position = g.position; position <= last; position++) {
      rows.push({ startMs: startMs + (position - 1) * stepMs, zone, price: g.price, position: `${label} position ${position} (line ${g.line})` });
    }
  });
  return { resolution, rows };
}

function timeSeriesRows(series: XmlElement, index: number): SeriesRows[] {
  const label = `TimeSeries ${index + 1}`;
  const domain = optionalChild(series, 'in_Domain.mRID', WHAT) ?? optionalChild(series, 'out_Domain.mRID', WHAT);
  const eic = domain?.text.trim();
  if (!eic) throw new Error(`${WHAT}: ${label} (line ${series.line}) has no in_Domain.mRID`);
  const zone = ENTSOE_ZONES[eic] ?? eic;
  const currency = childText(series, 'currency_Unit.name', WHAT);
  const unit = childText(series, 'price_Measure_Unit.name', WHAT);
  if (unit !== 'MWH') throw new Error(`${WHAT}: ${label} (line ${series.line}) prices are per ${clipped(unit)}; expected MWH`);
  // The standard's default curve type is A01; A44 day-ahead documents state A03 since 2024.
  const curveType = optionalChild(series, 'curveType', WHAT)?.text.trim() || 'A01';
  if (curveType !== 'A01' && curveType !== 'A03') throw new Error(`${WHAT}: ${label} (line ${series.line}) has curve type ${clipped(curveType)}; expected A01 or A03`);
  const periods = childrenNamed(series, 'Period');
  if (periods.length === 0) throw new Error(`${WHAT}: ${label} (line ${series.line}) has no <Period>`);
  return periods.map((period, p) => ({ zone, currency, ...periodRows(period, curveType, zone, `${label} Period ${p + 1}`) }));
}

/**
 * Every zone's day-ahead prices in an ENTSO-E Transparency `documentType=A44` answer, one curve per zone and
 * resolution (documents since the 2025 move to 15-minute products can hold a PT15M and a PT60M series of the
 * same day; `resolution` picks one). Instants are UTC as the document states them.
 */
export function parseEntsoe(document: string, options?: ParseOptions): PriceCurve[] {
  const root = parseXml(document, WHAT);
  const kind = localName(root);
  if (kind === 'Acknowledgement_MarketDocument') throw acknowledgementError(root);
  if (kind !== 'Publication_MarketDocument') throw new Error(`${WHAT}: the root element is <${clipped(root.name)}>; expected Publication_MarketDocument`);
  const type = childText(root, 'type', WHAT);
  if (type !== 'A44') throw new Error(`${WHAT}: document type ${clipped(type)} is not day-ahead prices (A44)`);
  const series = childrenNamed(root, 'TimeSeries');
  if (series.length === 0) throw new Error(`${WHAT}: the document has no <TimeSeries>`);

  const groups = new Map<string, SeriesRows>();
  for (const part of series.flatMap(timeSeriesRows)) {
    const key = `${part.zone}|${part.resolution}`;
    const group = groups.get(key);
    if (!group) groups.set(key, { ...part, rows: [...part.rows] });
    else if (group.currency !== part.currency) throw new Error(`${WHAT}: ${part.zone} prices come in ${clipped(group.currency)} and ${clipped(part.currency)}`);
    else group.rows.push(...part.rows);
  }
  const curves = [...groups.values()]
    .sort((a, b) => (a.zone === b.zone ? a.resolution - b.resolution : a.zone < b.zone ? -1 : 1))
    .flatMap((g) =>
      priceCurvesFromRows(g.rows, { source: 'entsoe', what: WHAT, nominalResolutionMinutes: g.resolution, resolutionMinutes: g.resolution, currency: g.currency }),
    );
  return selectCurves(curves, options, WHAT);
}

/** ENTSO-E wants `yyyyMMddHHmm` in UTC. */
const entsoeTime = (d: Date): string => d.toISOString().slice(0, 16).replace(/[-T:]/g, '');

export function entsoeUrl(baseUrl: string, eic: string, from: Date, to: Date, token: string): string {
  const query = [`securityToken=${encodeURIComponent(token)}`, 'documentType=A44', `in_Domain=${eic}`, `out_Domain=${eic}`, `periodStart=${entsoeTime(from)}`, `periodEnd=${entsoeTime(to)}`];
  return `${baseUrl.replace(/\/+$/, '')}/api?${query.join('&')}`;
}

async function fetchEntsoe(request: FetchRequest, options: FetchOptions): Promise<PriceCurve> {
  if (!options.token) throw new Error('ENTSO-E needs a security token (Transparency Platform account → Web API Security Token)');
  const eic = EIC_OF_ZONE.get(request.zone) ?? request.zone;
  // The token is in the URL: errors name the zone, never the URL.
  const what = `ENTSO-E A44 for ${request.zone}`;
  const text = await fetchTextWithRetry(entsoeUrl(options.baseUrl ?? ENTSOE_URL, eic, request.from, request.to, options.token), { ...options, what });
  // Where a day holds both, the finest resolution is the market's own product; hourly-only days are split.
  return cutToWindow(mergeAtFinest(parseEntsoe(text, { zone: request.zone }), what), request, what);
}

export const entsoe: PriceSourceAdapter = { id: 'entsoe', what: WHAT, parse: parseEntsoe, fetch: fetchEntsoe };
