import { Presets, SingleBar } from 'cli-progress';

export type RescoreProgress = { tick: (outcome: string) => void; stop: () => void };

/**
 * A progress bar on a terminal; otherwise one line every `every` sessions and at the end, so a
 * log shows where a long run stands.
 */
export const rescoreProgress = (
  total: number,
  every: number,
  stream: NodeJS.WriteStream = process.stderr,
): RescoreProgress => {
  const counts: Record<string, number> = {};
  let done = 0;
  const summary = () =>
    Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  if (stream.isTTY) {
    const bar = new SingleBar(
      { format: 'rescore [{bar}] {value}/{total} sessions | {counts}', stream, hideCursor: true },
      Presets.shades_classic,
    );
    bar.start(total, 0, { counts: '' });
    return {
      tick: (outcome) => {
        counts[outcome] = (counts[outcome] ?? 0) + 1;
        bar.increment(1, { counts: summary() });
      },
      stop: () => bar.stop(),
    };
  }
  return {
    tick: (outcome) => {
      counts[outcome] = (counts[outcome] ?? 0) + 1;
      done++;
      if (done % every === 0 || done === total)
        stream.write(`rescore: ${done}/${total} sessions (${summary()})\n`);
    },
    stop: () => {},
  };
};
