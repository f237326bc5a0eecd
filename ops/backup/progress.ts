import { SingleBar } from 'cli-progress';

export type Progress = {
  start(label: string, total: number): void;
  update(done: number): void;
  stop(): void;
  note(message: string): void;
};

/**
 * A bar on a terminal. On a pipe or in a log (cron, systemd) one line per step, written by the
 * step's `note`, and for a long step a line at most every `heartbeatMs` while its count moves:
 * never the same line again and again.
 */
export const createProgress = (
  out: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
  quiet = false,
  options: { heartbeatMs?: number; now?: () => number } = {},
): Progress => {
  if (quiet) return { start() {}, update() {}, stop() {}, note() {} };
  if (out.isTTY) {
    let bar: SingleBar | null = null;
    return {
      start(label, total) {
        bar = new SingleBar(
          {
            format: ` ${label.padEnd(22)} |{bar}| {percentage}% | {value}/{total}`,
            hideCursor: true,
            stream: out as NodeJS.WriteStream,
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
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const now = options.now ?? Date.now;
  let label = '';
  let total = 0;
  let written = 0;
  let lastAt = 0;
  return {
    start(l, t) {
      label = l;
      total = t;
      written = 0;
      lastAt = now();
    },
    update(done) {
      if (done === written || now() - lastAt < heartbeatMs) return;
      written = done;
      lastAt = now();
      out.write(`${label}: ${done}/${total} so far\n`);
    },
    stop() {},
    note(message) {
      out.write(`${message}\n`);
    },
  };
};
