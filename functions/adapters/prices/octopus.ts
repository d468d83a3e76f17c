import * as z from 'zod';
import { explainIssues } from '../../../schemas/explain.ts';
import type { PriceCurve } from '../../../schemas/price-curve.ts';
import { MINUTE_MS } from '../../domain/market/time.ts';
import { fetchTextWithRetry, parseJsonBody } from '../http/fetch-with-retry.ts';
import { offsetTimestampMs } from '../../domain/time/offset-timestamp.ts';
import { cutToWindow, roundPrice, selectCurves, type FetchOptions, type FetchRequest, type ParseOptions, type PriceSourceAdapter } from './price-source.ts';
import { priceCurvesFromRows, type PriceRow } from './price-rows.ts';
import { quoted, clipped } from './quoted.ts';

const WHAT = 'Octopus Energy unit rates JSON';
export const OCTOPUS_URL = 'https://api.octopus.energy';
/** Octopus publishes Agile in pence per kWh: × 10 gives GBP per MWh (1 p/kWh = £0.01 × 1000 per MWh). */
const PENCE_PER_KWH_TO_GBP_PER_MWH = 10;
/** The Agile product fetched when none is configured; products are renewed every year or two. */
export const DEFAULT_AGILE_PRODUCT = 'AGILE-24-10-01';

const Body = z.looseObject({ results: z.array(z.unknown()), next: z.string().nullable().optional() });
const Rate = z.looseObject({
  value_exc_vat: z.number(),
  valid_from: z.string(),
  // Open-ended rates (fixed tariffs) have null; Agile's half hours always end.
  valid_to: z.string().nullable(),
});

/**
 * An Octopus Energy `standard-unit-rates` page: half-hourly Agile rates, newest first, UTC instants, in
 * pence/kWh → GBP/MWh. `value_exc_vat` is read: VAT belongs to the household's tariff (5 % on UK domestic
 * energy), not to the market price. Agile is itself a retail price (wholesale plus network costs and margin),
 * so a household on it needs a tariff with no further margin or grid fee. The page names no region: `zone`
 * labels it (default GB; e.g. GB-C for region C).
 */
export function parseOctopus(document: string, options?: ParseOptions): PriceCurve[] {
  const body = Body.safeParse(parseJsonBody(document, WHAT));
  if (!body.success) throw new Error(`${WHAT} is invalid: ${explainIssues(body.error)}`);
  const zone = options?.zone ?? 'GB';
  const rows: PriceRow[] = body.data.results.map((raw, i) => {
    const position = `results[${i}]`;
    const rate = Rate.safeParse(raw);
    if (!rate.success) throw new Error(`${WHAT}: ${position} is invalid: ${explainIssues(rate.error)}`);
    const startMs = offsetTimestampMs(rate.data.valid_from);
    const endMs = rate.data.valid_to === null ? undefined : offsetTimestampMs(rate.data.valid_to);
    if (startMs === undefined) throw new Error(`${WHAT}: ${position}.valid_from is not an instant: ${quoted(rate.data.valid_from)}`);
    if (endMs === undefined || endMs - startMs !== 30 * MINUTE_MS) {
      throw new Error(`${WHAT}: ${position} runs ${clipped(rate.data.valid_from)} to ${clipped(rate.data.valid_to)}; expected a half hour (an Agile tariff)`);
    }
    return { startMs, zone, price: roundPrice(rate.data.value_exc_vat * PENCE_PER_KWH_TO_GBP_PER_MWH), position };
  });
  if (rows.length === 0) throw new Error(`${WHAT} holds no rates`);
  const curves = priceCurvesFromRows(rows, { source: 'octopus', what: WHAT, nominalResolutionMinutes: 30, resolutionMinutes: 30, currency: 'GBP' });
  return selectCurves(curves, { resolution: options?.resolution }, WHAT);
}

/** `GB-C` → region letter `C`, which ends every regional tariff code. */
function regionOf(zone: string): string {
  const m = /^GB-([A-P])$/.exec(zone);
  if (!m) throw new Error(`Octopus Agile zones are GB-A … GB-P (the regional tariff letter); got ${zone}`);
  return m[1]!;
}

export function octopusUrl(baseUrl: string, product: string, region: string, from: Date, to: Date): string {
  const tariff = `E-1R-${product}-${region}`;
  const query = [`period_from=${from.toISOString()}`, `period_to=${to.toISOString()}`, 'page_size=1500'];
  return `${baseUrl.replace(/\/+$/, '')}/v1/products/${product}/electricity-tariffs/${tariff}/standard-unit-rates/?${query.join('&')}`;
}

async function fetchOctopus(request: FetchRequest, options: FetchOptions & { product?: string }): Promise<PriceCurve> {
  const what = `Octopus Agile for ${request.zone}`;
  const url = octopusUrl(options.baseUrl ?? OCTOPUS_URL, options.product ?? DEFAULT_AGILE_PRODUCT, regionOf(request.zone), request.from, request.to);
  const text = await fetchTextWithRetry(url, { ...options, what });
  // 1500 half hours is a month: a two-day window is one page, so `next` would mean the request was wrong.
  const curve = parseOctopus(text, { zone: request.zone })[0]!;
  return cutToWindow(curve, request, what);
}

export const octopus: PriceSourceAdapter = { id: 'octopus', what: WHAT, defaultZone: 'GB', parse: parseOctopus, fetch: fetchOctopus };
