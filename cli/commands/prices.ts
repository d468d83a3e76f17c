import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { singleCurve, type Resolution } from '../../functions/adapters/prices/price-source.ts';
import { PRICE_SOURCE_IDS, PRICE_SOURCES, isPriceSourceId } from '../../functions/adapters/prices/sources.ts';
import type { Command } from '../command.ts';

const USAGE = `hearth prices parse --source <${PRICE_SOURCE_IDS.join('|')}> [--zone Z] [--resolution 15|30|60] FILE
  Reads a day-ahead price document as the source publishes it and prints one JSON object
  { zone, currency, unit, resolutionMinutes, points: [{ start, price }] }: UTC instants, prices per MWh in the
  document's own currency. --zone picks a zone from a document holding several (ENTSO-E, Nord Pool, EDS) and
  names the zone of one that holds none (aWATTar, Octopus, ERCOT, CAISO); --resolution picks a series where a
  document holds two (ENTSO-E PT15M and PT60M). A malformed document exits 2 naming the source and position.`;

const RESOLUTIONS: Record<string, Resolution> = { '15': 15, '30': 30, '60': 60 };

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { source: { type: 'string' }, zone: { type: 'string' }, resolution: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [action, file, ...extra] = positionals;
  if (action !== 'parse' || !file || extra.length > 0) throw new Error(`expected "parse" and one FILE\n\n${USAGE}`);
  const sourceId = values.source ?? '';
  if (!isPriceSourceId(sourceId)) throw new Error(`--source must be one of ${PRICE_SOURCE_IDS.join(', ')}; got ${JSON.stringify(values.source ?? '')}`);
  const resolution = values.resolution === undefined ? undefined : RESOLUTIONS[values.resolution];
  if (values.resolution !== undefined && resolution === undefined) throw new Error(`--resolution must be 15, 30 or 60; got ${JSON.stringify(values.resolution)}`);

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  const source = PRICE_SOURCES[sourceId];
  const curve = singleCurve(source.parse(text, { zone: values.zone, resolution }), `${source.what} ${file}`);
  const { zone, currency, unit, resolutionMinutes, points } = curve;
  console.log(JSON.stringify({ zone, currency, unit, resolutionMinutes, points }));
  return 0;
}

export const command: Command = { name: 'prices', usage: USAGE, run };
