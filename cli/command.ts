/** One `hearth` command; each lives in its own file under cli/commands/ and is found there by name. */
export interface Command {
  name: string;
  /** First line: the synopsis; then a few lines of what it does. */
  usage: string;
  /** Resolves to the exit code; throws with a message naming the problem for bad arguments or input. */
  run(argv: string[]): Promise<number>;
}
