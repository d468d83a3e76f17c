import type * as z from 'zod';

/** Outcome of checking an input against a schema: the value, or a sentence naming every problem. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** Names each problem by its path, e.g. `roomC: Too big: expected number to be <=120`. */
export function explainIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

export function check<S extends z.ZodType>(schema: S, input: unknown): Checked<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, error: explainIssues(result.error) };
}

/** Parses JSON text then checks it; `what` names the input in the error. */
export function checkJson<S extends z.ZodType>(schema: S, text: string, what: string): Checked<z.output<S>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${what} is not valid JSON: ${(e as Error).message}` };
  }
  const checked = check(schema, parsed);
  return checked.ok ? checked : { ok: false, error: `${what} is invalid: ${checked.error}` };
}
