import type { PriceCurve } from '../../../schemas/price-curve.ts';
import { toInstant } from '../../domain/market/time.ts';
import type { RetryOptions } from '../http/fetch-with-retry.ts';
import { quoted } from './quoted.ts';

export type Resolution = PriceCurve['resolutionMinutes'];

export interface ParseOptions {
  /**
   * Picks that zone from a document that holds several (ENTSO-E, Nord Pool, EDS). A document that names no
   * zone (aWATTar, Octopus, the ERCOT and CAISO files) is labelled with it instead of the source's default.
   */
  zone?: string;
  /** Picks the series of that resolution from a document that holds several (ENTSO-E PT15M and PT60M). */
  resolution?: Resolution;
}

export interface FetchRequest {
  zone: string;
  /** [from, to): the answer is cut to it. */
  from: Date;
  to: Date;
}

export interface FetchOptions extends Partial<Pick<RetryOptions, 'attempts' | 'backoffMs' | 'fetchImpl'>> {
  /** The API root; each source has a public default, tests and the local twin pass a stand-in. */
  baseUrl?: string;
  timeoutMs: number;
  /** Sources that need one (ENTSO-E's securityToken); read from Secrets Manager by the caller, never logged. */
  token?: string;
}

/**
 * ONE interface for every day-ahead price source (as in evcc's tariff package): a source turns its own
 * document into normalised `PriceCurve`s (UTC instants, one resolution per curve, per MWh in the document's
 * currency) and, where it has an API Hearth can call, fetches a window. `parse` throws on anything it cannot
 * read with certainty, naming the source and the position; it never returns a curve with a hole.
 */
export interface PriceSourceAdapter {
  /** `--source` in the CLI and `PriceCurve.source`. */
  id: string;
  /** Names the document in errors, e.g. `ENTSO-E A44 XML`. */
  what: string;
  /** The zone given to curves of documents that do not name one. */
  defaultZone?: string;
  parse(document: string, options?: ParseOptions): PriceCurve[];
  fetch?(request: FetchRequest, options: FetchOptions): Promise<PriceCurve>;
}

const describeCurves = (curves: readonly PriceCurve[]): string =>
  curves.map((c) => `${c.zone} ${c.resolutionMinutes}-minute`).join(', ');

/**
 * The curves a caller asked for: filtered by zone and resolution, and refused with what the document does
 * hold when nothing matches. Sources call it at the end of `parse`, so every source filters the same way.
 */
export function selectCurves(curves: readonly PriceCurve[], options: ParseOptions | undefined, what: string): PriceCurve[] {
  const picked = curves.filter(
    (c) => (options?.zone === undefined || c.zone === options.zone) && (options?.resolution === undefined || c.resolutionMinutes === options.resolution),
  );
  if (picked.length === 0) {
    const wanted = [options?.zone, options?.resolution && `${options.resolution}-minute`].filter(Boolean).join(' ');
    if (curves.length === 0) throw new Error(`${what} holds no prices`);
    throw new Error(`${what} holds no ${wanted} prices; it holds ${describeCurves(curves)}`);
  }
  return picked;
}

/** The one curve a caller can use, or an error saying which option picks one. */
export function singleCurve(curves: readonly PriceCurve[], what: string): PriceCurve {
  if (curves.length === 1) return curves[0]!;
  const zones = new Set(curves.map((c) => c.zone));
  const hint = zones.size > 1 ? 'pick one with --zone' : 'pick one with --resolution';
  throw new Error(`${what} holds ${curves.length} series (${describeCurves(curves)}); ${hint}`);
}

/** A fetched curve cut to [from, to); nothing inside the window (e.g. tomorrow before the auction) is an error. */
export function cutToWindow(curve: PriceCurve, request: FetchRequest, what: string): PriceCurve {
  const from = request.from.getTime();
  const to = request.to.getTime();
  const points = curve.points.filter((p) => {
    const ms = Date.parse(p.start);
    return ms >= from && ms < to;
  });
  if (points.length === 0) throw new Error(`${what}: no ${request.zone} prices between ${toInstant(from)} and ${toInstant(to)}`);
  return { ...curve, points };
}

/**
 * A number written in a document, refused unless it is a plain decimal: `Number('')` is 0 and
 * `Number('1e400')` is Infinity, neither of which is a price anyone published.
 */
export function decimal(text: string, what: string, position: string, field = 'price'): number {
  const t = text.trim();
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) throw new Error(`${what}: ${position} ${field} is not a number: ${quoted(text)}`);
  const v = Number(t);
  if (!Number.isFinite(v)) throw new Error(`${what}: ${position} ${field} is out of range: ${quoted(text)}`);
  return v;
}

/** Unit conversions keep 9 decimals: enough for any tariff, and 25.96 p/kWh × 10 prints as 259.6, not 259.59999999999997. */
export const roundPrice = (v: number): number => Math.round(v * 1e9) / 1e9;

/**
 * One zone's curves of several resolutions as one curve at the finest: where the finest series has a price it
 * is taken; elsewhere a coarser price holds for each finer slot it spans (a 60-minute price is the price of
 * its four quarters, so nothing is invented). Used where a fetch must hand on one curve.
 */
export function mergeAtFinest(curves: readonly PriceCurve[], what: string): PriceCurve {
  if (curves.length === 0) throw new Error(`${what}: no prices to merge`);
  const finest = curves.reduce((a, b) => (b.resolutionMinutes < a.resolutionMinutes ? b : a));
  const stepMs = finest.resolutionMinutes * 60_000;
  const byStart = new Map<number, number>();
  for (const curve of [...curves].sort((a, b) => a.resolutionMinutes - b.resolutionMinutes)) {
    if (curve.zone !== finest.zone || curve.currency !== finest.currency) throw new Error(`${what}: cannot merge ${curve.zone} ${curve.currency} into ${finest.zone} ${finest.currency}`);
    const slots = curve.resolutionMinutes / finest.resolutionMinutes;
    if (!Number.isInteger(slots)) throw new Error(`${what}: a ${curve.resolutionMinutes}-minute series does not split into ${finest.resolutionMinutes}-minute slots`);
    for (const p of curve.points) {
      const startMs = Date.parse(p.start);
      for (let k = 0; k < slots; k++) if (!byStart.has(startMs + k * stepMs)) byStart.set(startMs + k * stepMs, p.price);
    }
  }
  const starts = [...byStart.keys()].sort((a, b) => a - b);
  for (let i = 1; i < starts.length; i++) {
    if (starts[i]! - starts[i - 1]! !== stepMs) throw new Error(`${what}: ${finest.zone} prices miss ${toInstant(starts[i - 1]! + stepMs)}…${toInstant(starts[i]!)}`);
  }
  return { ...finest, points: starts.map((ms) => ({ start: toInstant(ms), price: byStart.get(ms)! })) };
}
