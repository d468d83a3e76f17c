import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from './command.ts';

const COMMANDS_DIR = new URL('./commands/', import.meta.url);

async function loadCommands(): Promise<Map<string, Command>> {
  const files = readdirSync(fileURLToPath(COMMANDS_DIR)).filter((f) => f.endsWith('.ts')).sort();
  const commands = new Map<string, Command>();
  for (const file of files) {
    const { command } = (await import(new URL(file, COMMANDS_DIR).href)) as { command: Command };
    commands.set(command.name, command);
  }
  return commands;
}

const usage = (commands: Map<string, Command>) =>
  `hearth <command> [options]\n\n${[...commands.values()].map((c) => `  ${c.usage.split('\n').join('\n  ')}`).join('\n\n')}\n\n  hearth help`;

/** Runs one CLI command; a bad argument or input prints what is wrong and exits 2, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const commands = await loadCommands();
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage(commands));
    return name ? 0 : 2;
  }
  const command = commands.get(name);
  if (!command) {
    console.error(`hearth: unknown command "${name}"\n\n${usage(commands)}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    console.error(`hearth ${name}: ${(e as Error).message}`);
    return 2;
  }
}
