/**
 * Layout of the MarketData table: one item per series and UTC day.
 *   series `prices#<zone>`    (e.g. `prices#DK2`)    payload: that day's slice of the zone's `PriceCurve`
 *   series `weather#<cellId>` (e.g. `weather#c-55.6-12.9`) payload: that day's slice of the cell's forecast
 *   day    `YYYY-MM-DD` (UTC), so a 48 h window is read with one range query over three or four items.
 * `hash` fingerprints the content, so storing the same day again writes nothing and emits no event.
 */
export const priceSeries = (zone: string): string => `prices#${zone}`;
export const weatherSeries = (cellId: string): string => `weather#${cellId}`;

/** JSON with object keys sorted at every level, so equal content always serialises the same way. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;
const utf8 = new TextEncoder();

/** FNV-1a, 64 bit, over the UTF-8 bytes of `text`, as 16 hex digits. */
export function fnv1a64(text: string): string {
  let h = FNV64_OFFSET;
  for (const byte of utf8.encode(text)) {
    h ^= BigInt(byte);
    h = (h * FNV64_PRIME) & MASK64;
  }
  return h.toString(16).padStart(16, '0');
}

/**
 * Fingerprint of a value's canonical JSON, `fnv1a64:<16 hex>`. It detects change, it does not resist
 * forgery; 64 bits keep accidental collisions out of reach for a few thousand items per series.
 */
export const contentHash = (value: unknown): string => `fnv1a64:${fnv1a64(canonicalJson(value))}`;
