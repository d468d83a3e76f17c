import { parseArgs } from 'node:util';
import * as z from 'zod';
import { explainIssues } from '../../schemas/explain.ts';
import { startWebhookServer } from '../../local/serve/webhook-server.ts';
import type { Command } from '../command.ts';

const USAGE = `hearth serve --port P --dr-token T
  Runs the local stack in real time with the DR webhook at POST /openadr3/callback (and the echo GETs),
  POST /dispatch, GET /grid-events (the stored events, each with its id) and GET /health, until interrupted.
  Utilities authenticate with "Authorization: Bearer T" (T at least 16 characters).`;

const ServeArgs = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  'dr-token': z.string().min(16, 'the DR token must be at least 16 characters'),
});

async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string', default: '8080' }, 'dr-token': { type: 'string' } }, strict: true });
  const args = ServeArgs.safeParse(values);
  if (!args.success) throw new Error(`${explainIssues(args.error)}\n\n${USAGE}`);
  const server = await startWebhookServer({ port: args.data.port, drToken: args.data['dr-token'] });
  console.log(`hearth serve: listening on ${server.url} (POST /openadr3/callback, POST /dispatch, GET /grid-events, GET /health); Ctrl-C stops`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}

export const command: Command = { name: 'serve', usage: USAGE, run };
