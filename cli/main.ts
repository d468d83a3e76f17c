import { twinCommand, TWIN_USAGE } from './twin-command.ts';

const USAGE = `hearth <command> [options]

Commands:
  ${TWIN_USAGE.split('\n').join('\n  ')}
  help        this text`;

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  twin: twinCommand,
};

/** Runs one CLI command; a bad argument or input prints what is wrong and exits 2, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`hearth: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (e) {
    console.error(`hearth ${name}: ${(e as Error).message}`);
    return 2;
  }
}
