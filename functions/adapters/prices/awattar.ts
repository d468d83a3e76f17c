import * as z from 'zod';
import { explainIssues } from '../../../schemas/explain.ts';
import type { PriceCurve } from '../../../schemas/price-curve.ts';
import { MINUTE_MS } from '../../domain/market/time.ts';
import { fetchTextWithRetry, parseJsonBody } from '../http/fetch-with-retry.ts';
import { cutToWindow, selectCurves, type FetchOptions, type FetchRequest, type ParseOptions, type PriceSourceAdapter } from './price-source.ts';
import { priceCurvesFromRows, type PriceRow } from './price-rows.ts';
import { quoted } from './quoted.ts';

const WHAT = 'aWATTar marketdata JSON';
/** aWATTar runs one API per country; the answer does not say which, so the zone comes from the host asked. */
export const AWATTAR_URLS: Readonly<Record<string, string>> = { AT: 'https://api.awattar.at', DE: 'https://api.awattar.de' };

const Body = z.looseObject({
  object: z.literal('list'),
  data: z.array(z.unknown()),
});
const Entry = z.looseObject({
  start_timestamp: z.int(),
  end_timestamp: z.int(),
  marketprice: z.number(),
  unit: z.string(),
});
/** `Eur/MWh` is what the API writes; the currency is the part before the slash. */
const UNIT = /^([A-Za-z]{3})\/MWh$/;

/**
 * An aWATTar `/v1/marketdata` answer: the EPEX day-ahead price of Austria (api.awattar.at) or Germany
 * (api.awattar.de) per interval, with start and end as epoch milliseconds (UTC by construction, so DST needs
 * nothing special) and `unit` `Eur/MWh`. The document names no zone: `zone` labels it (default AT).
 */
export function parseAwattar(document: string, options?: ParseOptions): PriceCurve[] {
  const body = Body.safeParse(parseJsonBody(document, WHAT));
  if (!body.success) throw new Error(`${WHAT} is invalid: ${explainIssues(body.error)}`);
  const zone = options?.zone ?? 'AT';
  let currency: string | undefined;
  let resolution: 15 | 30 | 60 | undefined;
  const rows: PriceRow[] = body.data.data.map((raw, i) => {
    const position = `data[${i}]`;
    const entry = Entry.safeParse(raw);
    if (!entry.success) throw new Error(`${WHAT}: ${position} is invalid: ${explainIssues(entry.error)}`);
    const unit = UNIT.exec(entry.data.unit);
    if (!unit) throw new Error(`${WHAT}: ${position} unit ${quoted(entry.data.unit)} is not <currency>/MWh`);
    const rowCurrency = unit[1]!.toUpperCase();
    if (currency !== undefined && rowCurrency !== currency) throw new Error(`${WHAT}: ${position} is in ${rowCurrency}, earlier entries in ${currency}`);
    currency = rowCurrency;
    const minutes = (entry.data.end_timestamp - entry.data.start_timestamp) / MINUTE_MS;
    if (minutes !== 15 && minutes !== 60) throw new Error(`${WHAT}: ${position} lasts ${minutes} minutes; expected 15 or 60`);
    if (resolution !== undefined && minutes !== resolution) throw new Error(`${WHAT}: ${position} lasts ${minutes} minutes, earlier entries ${resolution}`);
    resolution = minutes;
    return { startMs: entry.data.start_timestamp, zone, price: entry.data.marketprice, position };
  });
  if (rows.length === 0) throw new Error(`${WHAT} holds no prices (not published yet?)`);
  const curves = priceCurvesFromRows(rows, { source: 'awattar', what: WHAT, nominalResolutionMinutes: resolution!, resolutionMinutes: resolution!, currency: currency! });
  return selectCurves(curves, { resolution: options?.resolution }, WHAT);
}

async function fetchAwattar(request: FetchRequest, options: FetchOptions): Promise<PriceCurve> {
  const base = options.baseUrl ?? AWATTAR_URLS[request.zone];
  if (!base) throw new Error(`aWATTar has no API for zone ${request.zone}; it serves ${Object.keys(AWATTAR_URLS).join(' and ')}`);
  const what = `aWATTar marketdata for ${request.zone}`;
  const url = `${base.replace(/\/+$/, '')}/v1/marketdata?start=${request.from.getTime()}&end=${request.to.getTime()}`;
  const text = await fetchTextWithRetry(url, { ...options, what });
  return cutToWindow(parseAwattar(text, { zone: request.zone })[0]!, request, what);
}

export const awattar: PriceSourceAdapter = { id: 'awattar', what: WHAT, defaultZone: 'AT', parse: parseAwattar, fetch: fetchAwattar };
