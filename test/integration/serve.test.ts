import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookServer, type WebhookServer } from '../../local/serve/webhook-server.ts';

const TOKEN = 'serve-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const example = JSON.parse(readFileSync(new URL('../fixtures/openadr3/event-simple-load-shed.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('hearth serve: the local stack in real time behind HTTP', () => {
  let server: WebhookServer;
  beforeAll(async () => {
    server = await startWebhookServer({ port: 0, drToken: TOKEN });
  });
  afterAll(async () => server?.close());

  it('answers health and the subscription handshake on both echo paths', async () => {
    expect(((await (await fetch(`${server.url}/health`)).json()) as { status: string }).status).toBe('ok');
    expect(await (await fetch(`${server.url}/openadr3/callback?echo=abc`)).text()).toBe('abc');
    expect(await (await fetch(`${server.url}/openadr3/callback/echo?echo=xyz`)).text()).toBe('xyz');
  });

  it('stores a notification and a dispatch, lists them with their ids, and refuses a wrong token', async () => {
    const notification = { objectType: 'EVENT', operation: 'CREATE', object: { ...example, id: 'evt-serve-1', modificationDateTime: '2026-11-24T16:00:00Z' } };
    const stored = await fetch(`${server.url}/openadr3/callback`, { method: 'POST', headers: auth, body: JSON.stringify(notification) });
    expect(stored.status).toBe(200);
    const dispatch = await fetch(`${server.url}/dispatch`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ dispatchId: 'd-1', start: '2026-11-25T16:00:00Z', end: '2026-11-25T17:00:00Z', kW: 5 }),
    });
    expect(dispatch.status).toBe(200);
    const denied = await fetch(`${server.url}/dispatch`, { method: 'POST', headers: { authorization: 'Bearer wrong-token-wrong-token' }, body: '{}' });
    expect(denied.status).toBe(403);
    const bad = await fetch(`${server.url}/openadr3/callback`, { method: 'POST', headers: auth, body: '{oops' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/not valid JSON/);
    const events = (await (await fetch(`${server.url}/grid-events`)).json()) as { id: string }[];
    expect(events.map((e) => e.id).sort()).toEqual(['dispatch-d-1', 'evt-serve-1']);
    expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);
  });
});
