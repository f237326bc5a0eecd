import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';

export type Figure = {
  name: string;
  value: number;
  unit: string;
  /** The baseline measured in the same run, and this figure's ratio to it. */
  baseline?: { name: string; value: number };
  ratio?: number;
  target?: string;
  met?: boolean;
};

export type Suite = { suite: string; environment: Record<string, string | number>; figures: Figure[] };

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));

export const printSuite = (suite: Suite) => {
  const rows = suite.figures.map((f) => [
    f.name,
    `${fmt(f.value)} ${f.unit}`,
    f.baseline ? `${fmt(f.baseline.value)} (${f.baseline.name})` : '',
    f.ratio !== undefined ? `${(f.ratio * 100).toFixed(0)}%` : '',
    f.target ? `${f.met ? 'met' : 'MISSED'}: ${f.target}` : '',
  ]);
  const header = ['figure', 'value', 'baseline (same run)', 'ratio', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(
    `\n${suite.suite}  (${Object.entries(suite.environment)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')})\n`,
  );
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
};

/** bench/results.json keeps the latest result of every suite. */
export const saveSuites = async (file: string, suites: Suite[]) => {
  const previous = existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as { suites?: Suite[] }) : {};
  const merged = new Map((previous.suites ?? []).map((s) => [s.suite, s]));
  for (const suite of suites) merged.set(suite.suite, suite);
  await writeFile(
    file,
    `${JSON.stringify({ updatedAt: new Date().toISOString(), suites: [...merged.values()] }, null, 2)}\n`,
  );
};
