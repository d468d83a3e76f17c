import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../../cli/command.ts';
import { command as backtest } from '../../../cli/commands/backtest.ts';
import { command as devices } from '../../../cli/commands/devices.ts';
import { command as plan } from '../../../cli/commands/plan.ts';
import { command as prices } from '../../../cli/commands/prices.ts';
import { command as serve } from '../../../cli/commands/serve.ts';
import { command as twin } from '../../../cli/commands/twin.ts';
import { cliHarness } from './support/cli-run.ts';
import { RUNS, trickyString } from './support/mutations.ts';

/**
 * Argument lists of every `hearth` command, 10,000 cases: built from the commands' own options, other
 * commands' options, good and bad values, missing values, `--`, stray words and random text. A command
 * answers, or fails with an Error saying what is wrong (cli/main.ts: `hearth <command>: …`, exit 2); never a
 * crash or a stack trace.
 *
 * The commands that start something long or real once their arguments are valid (twin, backtest, serve,
 * devices) get a final argument that is always invalid (`--devices=0`, `--port=-1`, `--sample=0`; devices
 * never gets --local and has no deployment to reach), so only their argument parsing runs here.
 */
const COMMANDS: Record<string, Command> = { plan, prices, twin, backtest, serve, devices };
const OPTIONS = [
  '--input', '--time-budget-ms', '--source', '--zone', '--resolution', '--devices', '--days', '--from', '--to', '--seed', '--json', '--report', '--policy',
  '--prices', '--weather', '--revenue', '--bitcoin', '--usd-per-eur', '--timezone', '--port', '--dr-token', '--file', '--sample', '--certificate-arn',
  '--out', '--group', '--help', '-h', '-x', '--', '--input=', '--json=true',
];
const VALUES = ['parse', 'add', 'list', 'show', 'remove', 'heater-001', '15', '0', '-1', '5000', '2023-01-09', '2023-13-45', 'Europe/Copenhagen', 'Mars/Olympus', 'thermostat', 'entsoe', 'zone-DK2', '/no/such/file', '.'];
/** Always invalid, last: what keeps a command that would start something from starting. */
const GUARD: Record<string, string[]> = { twin: ['--devices=0'], backtest: ['--devices=0'], serve: ['--port=-1', '--dr-token=short'], devices: ['--sample=0'] };

describe('hearth CLI arguments, property-based', () => {
  const cli = cliHarness();

  it('argument lists of every command: a result or an Error with the reason; never a crash or a stack trace', async () => {
    const token = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...OPTIONS) }, { weight: 3, arbitrary: fc.constantFrom(...VALUES) }, { weight: 2, arbitrary: trickyString }, { weight: 1, arbitrary: fc.constant('@input') });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(COMMANDS)), fc.array(token, { maxLength: 8 }), async (name, tokens) => {
        writeFileSync(cli.input(), '{"start": ');
        const args = tokens.map((t) => (t === '@input' ? cli.input() : t)).filter((t) => !/^--local(=|$)/.test(t));
        const { code } = await cli.run(COMMANDS[name]!, [...args, ...(GUARD[name] ?? [])]);
        if (name in GUARD) expect(code).toBe(2);
      }),
      RUNS,
    );
  });
});
