/** What the handlers' Powertools logger printed while captured: every JSON line, and the raw text to search for secrets. */
export interface CapturedLogs {
  readonly lines: Record<string, unknown>[];
  readonly text: () => string;
  readonly restore: () => void;
}

/**
 * Captures the JSON lines a Powertools logger prints. Outside dev mode Powertools prints through its own
 * Console on process.stdout (stderr for errors), so both streams are tapped; anything else passes through.
 * The logger resets its level to POWERTOOLS_LOG_LEVEL at every invocation, and the test run sets ERROR
 * (vitest.config.ts): a test file that reads INFO lines sets the variable in `vi.hoisted`, before the logger exists.
 */
export function captureLogs(): CapturedLogs {
  const chunks: string[] = [];
  const originals = { out: process.stdout.write, err: process.stderr.write };
  const tap = (stream: NodeJS.WriteStream, original: typeof process.stdout.write): typeof process.stdout.write =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (text.trimStart().startsWith('{')) {
        chunks.push(text);
        return true;
      }
      return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof process.stdout.write;
  process.stdout.write = tap(process.stdout, originals.out);
  process.stderr.write = tap(process.stderr, originals.err);
  const text = () => chunks.join('');
  return {
    get lines() {
      return text()
        .split('\n')
        .filter((line) => line.trim().startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    text,
    restore: () => {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
    },
  };
}
