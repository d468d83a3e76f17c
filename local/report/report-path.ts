import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Refuses a report path that cannot be written before a long run starts, rather than after it. */
export function checkReportPath(path: string): void {
  const full = resolve(path);
  try {
    if (statSync(full, { throwIfNoEntry: false })?.isDirectory()) throw new Error('it is a directory');
    accessSync(dirname(full), constants.W_OK);
  } catch (e) {
    throw new Error(`cannot write the report to ${path}: ${(e as Error).message}`);
  }
}
