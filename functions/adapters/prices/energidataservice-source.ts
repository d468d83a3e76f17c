import { parseJsonBody } from '../http/fetch-with-retry.ts';
import { parseEnergiDataServiceCsv } from './energidataservice-csv.ts';
import { ENERGIDATASERVICE_SOURCE, fetchDayAheadPrices, parseEnergiDataServiceJson } from './energidataservice.ts';
import { selectCurves, type PriceSourceAdapter } from './price-source.ts';

export const ENERGIDATASERVICE_URL = 'https://api.energidataservice.dk';
const WHAT = 'Energi Data Service';

/**
 * Energi Data Service behind the common interface: the API's JSON (`Elspotprices` hourly or `DayAheadPrices`
 * 15-minute) or the site's "download as CSV" file, told apart by the first character. EUR/MWh; the DKK column
 * is not read. Parsing and fetching live in energidataservice.ts and energidataservice-csv.ts.
 */
export const energiDataService: PriceSourceAdapter = {
  id: ENERGIDATASERVICE_SOURCE,
  what: WHAT,
  parse(document, options) {
    const isJson = document.replace(/^\uFEFF/, '').trimStart().startsWith('{');
    const curves = isJson ? parseEnergiDataServiceJson(parseJsonBody(document, `${WHAT} JSON`)) : parseEnergiDataServiceCsv(document);
    return selectCurves(curves, options, isJson ? `${WHAT} JSON` : `${WHAT} CSV`);
  },
  fetch: (request, options) => fetchDayAheadPrices({ ...options, ...request, baseUrl: options.baseUrl ?? ENERGIDATASERVICE_URL }),
};
