/** Quoted input in an error message is cut to this many characters: enough to recognise it, never a page. */
export const MAX_QUOTED_CHARS = 60;

/**
 * A value from a document as an error message quotes it: as JSON (so blanks, control characters, empty
 * strings and the type show), cut with `…` past `max` characters, so a malformed multi-kilobyte field still
 * makes a one-line message.
 */
export function quoted(value: unknown, max = MAX_QUOTED_CHARS): string {
  if (typeof value === 'string') return value.length > max ? `${JSON.stringify(value.slice(0, max))}…` : JSON.stringify(value);
  const json = JSON.stringify(value) ?? String(value);
  return json.length > max ? `${json.slice(0, max)}…` : json;
}

/** A value a message names bare (a code such as `A65`, a unit, a tag name), cut like `quoted` when it runs long. */
export function clipped(value: unknown, max = MAX_QUOTED_CHARS): string {
  const text = typeof value === 'string' ? value : String(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
