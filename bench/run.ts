import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentBench } from './agent.bench.ts';
import { conversationBench } from './conversation.bench.ts';
import { eventStoreBench } from './event-store.bench.ts';
import { knowledgeBench } from './knowledge.bench.ts';
import { printSuite, type Suite, saveSuites } from './lib/report.ts';
import { projectionsBench } from './projections.bench.ts';
import { readApiBench } from './read-api.bench.ts';
import { slackBench } from './slack.bench.ts';

/** `npm run bench [suite…]`: runs the suites (all by default), prints a table each, writes bench/results.json. */
const suites: Record<string, () => Promise<Suite>> = {
  'event-store': eventStoreBench,
  projections: projectionsBench,
  'read-api': readApiBench,
  knowledge: knowledgeBench,
  slack: slackBench,
  conversation: conversationBench,
  agent: agentBench,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in suites));
if (unknown.length) {
  process.stderr.write(`unknown suite(s): ${unknown.join(', ')}; known: ${Object.keys(suites).join(', ')}\n`);
  process.exit(2);
}
const results: Suite[] = [];
for (const [name, run] of Object.entries(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
  const suite = await run();
  printSuite(suite);
  results.push(suite);
}
const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json');
await saveSuites(file, results);
process.stdout.write(`\nwritten ${path.relative(process.cwd(), file)}\n`);
