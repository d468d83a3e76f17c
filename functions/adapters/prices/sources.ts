import { awattar } from './awattar.ts';
import { caiso } from './caiso.ts';
import { energiDataService } from './energidataservice-source.ts';
import { entsoe } from './entsoe.ts';
import { ercot } from './ercot.ts';
import { nordPool } from './nordpool.ts';
import { octopus } from './octopus.ts';
import type { PriceSourceAdapter } from './price-source.ts';

/** Every price source, by id: the CLI's `--source`, the fetcher's schedule input, `PriceCurve.source`. */
export const PRICE_SOURCES = {
  entsoe,
  energidataservice: energiDataService,
  nordpool: nordPool,
  awattar,
  octopus,
  ercot,
  caiso,
} as const satisfies Record<string, PriceSourceAdapter>;

export type PriceSourceId = keyof typeof PRICE_SOURCES;
export const PRICE_SOURCE_IDS = Object.keys(PRICE_SOURCES) as PriceSourceId[];

export const isPriceSourceId = (id: string): id is PriceSourceId => id in PRICE_SOURCES;
