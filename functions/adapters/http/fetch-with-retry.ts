/** The policy every market-data source shares: a timeout per attempt, a few attempts, backoff between them. */
export interface RetryOptions {
  /** Names the source in errors, e.g. `Energi Data Service DayAheadPrices`. */
  what: string;
  timeoutMs: number;
  /** Attempts in all, the first included. */
  attempts?: number;
  /** Wait before the second attempt; doubled before each further one. */
  backoffMs?: number;
  fetchImpl?: typeof fetch;
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 300;
/** Error bodies are quoted in messages, but never at length. */
const MAX_QUOTED_BODY = 300;

/** An answer the source gave or failed to give; `retryable` says whether asking again could help. */
export class HttpSourceError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'HttpSourceError';
  }
}

/** 429 and 5xx are the server's trouble, not the request's: they may pass. */
const isRetryableStatus = (status: number): boolean => status === 429 || status >= 500;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function attemptOnce(url: string, options: RetryOptions): Promise<string> {
  const doFetch = options.fetchImpl ?? fetch;
  let response: Response;
  let body: string;
  try {
    // One signal covers the body too: a server that stalls mid-body counts as a timeout.
    const signal = AbortSignal.timeout(options.timeoutMs);
    response = await doFetch(url, { signal, headers: { accept: 'application/json' } });
    body = await response.text();
  } catch (e) {
    const err = e as Error;
    const reason = err.name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : `${err.name}: ${err.message}`;
    throw new HttpSourceError(`${options.what}: ${reason}`, undefined, true);
  }
  if (response.ok) return body;
  const quoted = body.length > MAX_QUOTED_BODY ? `${body.slice(0, MAX_QUOTED_BODY)}…` : body;
  throw new HttpSourceError(`${options.what} answered HTTP ${response.status}: ${quoted}`, response.status, isRetryableStatus(response.status));
}

/**
 * GETs `url` and returns the body of the first 2xx answer. Network errors, timeouts, 429 and 5xx are retried
 * with exponential backoff; any other status fails at once, since repeating the same request cannot help.
 */
export async function fetchTextWithRetry(url: string, options: RetryOptions): Promise<string> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(url, options);
    } catch (e) {
      const err = e as HttpSourceError;
      if (!err.retryable) throw err;
      if (attempt >= attempts) {
        throw new HttpSourceError(`${err.message} (gave up after ${attempts} attempts)`, err.status, true);
      }
      await sleep(backoffMs * 2 ** (attempt - 1));
    }
  }
}

/** Parses a body as JSON, naming the source when it is not. */
export function parseJsonBody(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} did not answer JSON: ${(e as Error).message}`);
  }
}
