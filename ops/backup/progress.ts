import { SingleBar } from 'cli-progress';

export type Progress = {
  start(label: string, total: number): void;
  update(done: number): void;
  stop(): void;
  note(message: string): void;
};

/**
 * A bar on a terminal; on a pipe or in a log (cron, systemd) a plain line per step and every
 * few thousand items, so the journal stays readable.
 */
export const createProgress = (out: NodeJS.WriteStream = process.stderr, quiet = false): Progress => {
  if (quiet) return { start() {}, update() {}, stop() {}, note() {} };
  if (out.isTTY) {
    let bar: SingleBar | null = null;
    return {
      start(label, total) {
        bar = new SingleBar(
          {
            format: ` ${label.padEnd(22)} |{bar}| {percentage}% | {value}/{total}`,
            hideCursor: true,
            stream: out,
          },
          undefined,
        );
        bar.start(Math.max(total, 1), 0);
      },
      update(done) {
        bar?.update(done);
      },
      stop() {
        bar?.stop();
        bar = null;
      },
      note(message) {
        out.write(`${message}\n`);
      },
    };
  }
  let label = '';
  let total = 0;
  let last = 0;
  return {
    start(l, t) {
      label = l;
      total = t;
      last = 0;
      out.write(`${label}: 0/${total}\n`);
    },
    update(done) {
      if (done - last >= 5000) {
        last = done;
        out.write(`${label}: ${done}/${total}\n`);
      }
    },
    stop() {},
    note(message) {
      out.write(`${message}\n`);
    },
  };
};
