/** A progress bar on stderr when it is a terminal; plain lines otherwise (logs, CI). */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, info: string): void;
  stop(): void;
}

export function progress(label: string, total: number, every = 1): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} {info}`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { info: '' });
    return { update: (done, info) => bar.update(done, { info }), stop: () => bar.stop() };
  }
  return {
    update(done, info) {
      if (done % every === 0 || done === total) process.stderr.write(`${label} ${done}/${total} ${info}\n`);
    },
    stop() {},
  };
}
