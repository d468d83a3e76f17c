import { fetchTextWithRetry, parseJsonBody } from '../http/fetch-with-retry.ts';

/** Timeouts and retries of every VTN call. */
export interface VtnHttpOptions {
  timeoutMs: number;
  attempts?: number;
  backoffMs?: number;
  fetchImpl?: typeof fetch;
}

export interface VtnHttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  /** Names the call in errors: `VTN POST /reports`. */
  what: string;
  headers?: Record<string, string>;
  body?: string;
  /**
   * Whether sending twice has one effect. A POST that timed out may have been accepted, so it is sent once;
   * the caller looks before it creates, and the next run retries.
   */
  idempotent: boolean;
}

/**
 * One VTN call through the shared retry policy (timeout per attempt, retries on network errors, 429 and 5xx,
 * none on other statuses), answering the parsed JSON body. Errors name the call and the status.
 */
export async function vtnJson(request: VtnHttpRequest, options: VtnHttpOptions): Promise<unknown> {
  const doFetch = options.fetchImpl ?? fetch;
  const text = await fetchTextWithRetry(request.url, {
    what: request.what,
    timeoutMs: options.timeoutMs,
    ...(request.idempotent ? { attempts: options.attempts } : { attempts: 1 }),
    ...(options.backoffMs !== undefined ? { backoffMs: options.backoffMs } : {}),
    // The retry policy GETs; method, headers and body are laid over each attempt here.
    fetchImpl: (url, init) =>
      doFetch(url, {
        ...init,
        method: request.method,
        headers: { ...(init?.headers as Record<string, string> | undefined), ...request.headers },
        ...(request.body !== undefined ? { body: request.body } : {}),
      }),
  });
  return parseJsonBody(text, request.what);
}
