/**
 * What VTNs really send, brought to the spec's shape before validation: a widely used reference server
 * writes snake_case keys (`program_id`, `interval_period`), nulls for absent fields, and timestamps like
 * `2026-11-24 17:32:55` meaning UTC. The spec's own camelCase passes through unchanged.
 */
const ACRONYMS: Record<string, string> = { id: 'ID', url: 'URL' };

/** `program_id` → `programID`, `interval_period` → `intervalPeriod`, `token_url` → `tokenURL`; `id` stays. */
export function camelKey(key: string): string {
  if (!key.includes('_')) return key;
  const [first, ...rest] = key.split('_').filter(Boolean);
  return first!.toLowerCase() + rest.map((p) => ACRONYMS[p.toLowerCase()] ?? p.charAt(0).toUpperCase() + p.slice(1).toLowerCase()).join('');
}

const SPACE_SEPARATED_UTC = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/;
const DATE_TIME_KEYS = new Set(['start', 'createdDateTime', 'modificationDateTime']);

/** Keys camelCased, null-valued object fields dropped, space-separated timestamps made ISO-8601 UTC. */
export function normaliseNotification(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => normaliseNotification(v));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null) continue;
      const name = camelKey(k);
      out[name] = normaliseNotification(v, name);
    }
    return out;
  }
  if (typeof value === 'string' && key && DATE_TIME_KEYS.has(key)) {
    const m = SPACE_SEPARATED_UTC.exec(value);
    if (m) return `${m[1]}T${m[2]}Z`;
  }
  return value;
}
