/**
 * A one-line progress bar on a terminal, redrawn at most every 100 ms; silent when stderr is not a terminal,
 * so logs and CI output stay clean.
 */
export interface ProgressBar {
  update(fraction: number): void;
  done(): void;
}

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  const width = 30;
  let last = 0;
  const draw = (fraction: number) => {
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`);
  };
  return {
    update(fraction) {
      const now = performance.now();
      if (now - last < 100 && fraction < 1) return;
      last = now;
      draw(fraction);
    },
    done() {
      draw(1);
      stream.write('\n');
    },
  };
}
