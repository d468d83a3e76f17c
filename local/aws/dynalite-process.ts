import dynalite from 'dynalite';
import { listenOnLoopback } from '../net/listen-on-loopback.ts';
import { countDynamoRequests } from './dynamodb-request-counter.ts';

/**
 * dynalite in a process of its own (forked by `startLocalDynamo({ inChildProcess: true })`): the database's
 * work runs on another core than the handlers calling it. Tells the parent its port, answers `usage` with
 * the requests counted so far and its CPU time, and ends with the parent.
 */
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
const counted = countDynamoRequests(server);
const port = await listenOnLoopback(server);
process.on('message', (message: { type?: unknown }) => {
  if (message.type !== 'usage') return;
  const cpu = process.cpuUsage();
  process.send?.({ type: 'usage', requests: counted(), cpuMs: (cpu.user + cpu.system) / 1000 });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
process.send?.({ type: 'listening', port });
