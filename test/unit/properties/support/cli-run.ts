import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import type { Command } from '../../../../cli/command.ts';

/**
 * Runs `hearth` commands in-process for the CLI property tests. A command resolves to its exit code with its
 * documented output, or throws an Error whose message says what is wrong, which cli/main.ts prints as
 * `hearth <command>: <message>` with exit 2 (test/unit/cli/prices.test.ts checks that printing); anything else
 * thrown would print `undefined` or a stack trace. Commands are called directly: main() reads the commands
 * directory on every call, which would be most of the run time of 10,000 cases.
 */
export function cliHarness() {
  let dir = '';
  const out: string[] = [];
  const err: string[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-cli-property-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    vi.spyOn(console, 'log').mockImplementation((...m: unknown[]) => void out.push(m.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...m: unknown[]) => void err.push(m.join(' ')));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  return {
    /** A file in the test's temporary directory, rewritten by each case. */
    input: () => join(dir, 'input'),
    /** Exit 0 with what was printed, or exit 2 for a readable Error; anything else fails the property. */
    async run(command: Command, args: string[]): Promise<{ code: number; stdout: string }> {
      out.length = 0;
      err.length = 0;
      const argv = JSON.stringify([command.name, ...args]);
      let code: number;
      try {
        code = await command.run(args);
      } catch (e) {
        if (!(e instanceof Error)) throw new Error(`hearth ${command.name} threw a non-Error for ${argv}: ${String(e)}`);
        const message = e.message.trim();
        if (message.length < 5) throw new Error(`hearth ${command.name} failed without a reason for ${argv}: ${e.stack}`);
        if (/\n\s+at .+:\d+:\d+\)?/.test(message)) throw new Error(`hearth ${command.name}: the message holds a stack trace: ${message.slice(0, 500)}`);
        if (out.length > 0) throw new Error(`hearth ${command.name} printed output and failed: ${out.join('\n').slice(0, 200)}`);
        return { code: 2, stdout: '' };
      }
      if (code !== 0) throw new Error(`exit ${code} for ${argv}: ${err.join('\n').slice(0, 300)}`);
      return { code, stdout: out.join('\n') };
    },
  };
}
