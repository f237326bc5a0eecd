/**
 * Starts the EventStoreDB test double on its own:
 *   node test/stubs/eventstoredb/serve.ts --port 2113 [--legacy-positions] [--no-batch-append]
 *     [--slow-consumer abort|catch-up] [--max-live-buffer N]
 * then EVENTSTORE_URL=esdb://127.0.0.1:2113?tls=false. Everything lives in memory: stopping
 * it (Ctrl-C) forgets every event.
 */
import { parseArgs } from 'node:util';
import { startEventStoreDouble } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '2113' },
    host: { type: 'string', default: '127.0.0.1' },
    'legacy-positions': { type: 'boolean', default: false },
    'no-batch-append': { type: 'boolean', default: false },
    'slow-consumer': { type: 'string', default: 'catch-up' },
    'max-live-buffer': { type: 'string', default: '10000' },
  },
});

const port = Number(values.port);
const maxLiveBuffer = Number(values['max-live-buffer']);
const slowConsumer = values['slow-consumer'];
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port expected a whole number from 0 to 65535 (got "${values.port}")`);
  process.exit(1);
}
if (!Number.isInteger(maxLiveBuffer) || maxLiveBuffer < 1) {
  console.error(`--max-live-buffer expected a positive whole number (got "${values['max-live-buffer']}")`);
  process.exit(1);
}
if (slowConsumer !== 'abort' && slowConsumer !== 'catch-up') {
  console.error(`--slow-consumer expected abort or catch-up (got "${slowConsumer}")`);
  process.exit(1);
}

const double = await startEventStoreDouble({
  port,
  host: values.host,
  legacyPositions: values['legacy-positions'],
  batchAppend: !values['no-batch-append'],
  slowConsumer,
  maxLiveBuffer,
});
console.log(`EventStoreDB test double (in memory, not EventStoreDB) listening: EVENTSTORE_URL=${double.url}`);

const stop = () => {
  double.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
