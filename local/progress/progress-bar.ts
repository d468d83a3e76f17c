/**
 * A one-line progress bar on a terminal stream (stderr), redrawn at most every REDRAW_MS; silent when the
 * stream is not a TTY, so logs and pipes stay clean.
 */
const WIDTH = 30;
const REDRAW_MS = 200;

export interface TextStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export function progressBar(stream: TextStream, label: string, clock: () => number = () => performance.now()): { update(share: number): void; done(): void } {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  const started = clock();
  let drawnAt = -Infinity;
  const draw = (share: number) => {
    const filled = Math.round(Math.min(1, Math.max(0, share)) * WIDTH);
    const seconds = (clock() - started) / 1000;
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${Math.floor(share * 100)}% ${seconds.toFixed(0)} s`);
  };
  return {
    update(share) {
      if (clock() - drawnAt < REDRAW_MS && share < 1) return;
      drawnAt = clock();
      draw(share);
    },
    done() {
      draw(1);
      stream.write('\n');
    },
  };
}
