import { describe, expect, it } from 'vitest';
import { fetchTextWithRetry, HttpSourceError } from '../../../../functions/adapters/http/fetch-with-retry.ts';

/** A fetch that plays back answers in order; a string is a 200 body, an Error is a network failure. */
function scripted(answers: (string | Error | { status: number; body: string })[]) {
  const calls: string[] = [];
  const impl = (async (url: string) => {
    calls.push(url);
    const next = answers.shift();
    if (next === undefined) throw new Error('no more scripted answers');
    if (next instanceof Error) throw next;
    return typeof next === 'string' ? new Response(next, { status: 200 }) : new Response(next.body, { status: next.status });
  }) as unknown as typeof fetch;
  return { impl, calls };
}

const options = (fetchImpl: typeof fetch) => ({ what: 'Test API', timeoutMs: 1_000, backoffMs: 1, fetchImpl });

describe('fetchTextWithRetry', () => {
  it('retries 503 and 429 and returns the first 2xx body', async () => {
    const { impl, calls } = scripted([{ status: 503, body: 'busy' }, { status: 429, body: 'slow down' }, '{"ok":true}']);
    expect(await fetchTextWithRetry('http://x/a', options(impl))).toBe('{"ok":true}');
    expect(calls).toHaveLength(3);
  });

  it('retries network errors', async () => {
    const { impl, calls } = scripted([new TypeError('fetch failed'), 'fine']);
    expect(await fetchTextWithRetry('http://x/a', options(impl))).toBe('fine');
    expect(calls).toHaveLength(2);
  });

  it('fails at once on a 4xx other than 429, quoting status and body', async () => {
    const { impl, calls } = scripted([{ status: 400, body: '{"error":true,"reason":"bad latitude"}' }, 'never']);
    const err = await fetchTextWithRetry('http://x/a', options(impl)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpSourceError);
    expect((err as HttpSourceError).status).toBe(400);
    expect((err as Error).message).toBe('Test API answered HTTP 400: {"error":true,"reason":"bad latitude"}');
    expect(calls).toHaveLength(1);
  });

  it('gives up after three attempts and says so', async () => {
    const { impl, calls } = scripted([{ status: 502, body: 'a' }, { status: 502, body: 'b' }, { status: 502, body: 'c' }, 'never']);
    await expect(fetchTextWithRetry('http://x/a', options(impl))).rejects.toThrow('Test API answered HTTP 502: c (gave up after 3 attempts)');
    expect(calls).toHaveLength(3);
  });

  it('times out a request that never answers, and retries it', async () => {
    let calls = 0;
    const hanging = ((_url: string, init: RequestInit) => {
      calls++;
      return new Promise((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));
    }) as unknown as typeof fetch;
    await expect(fetchTextWithRetry('http://x/a', { ...options(hanging), timeoutMs: 20, attempts: 2 })).rejects.toThrow(
      'Test API: no answer within 20 ms (gave up after 2 attempts)',
    );
    expect(calls).toBe(2);
  });
});
