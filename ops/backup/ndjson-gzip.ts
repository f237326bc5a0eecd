import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';

/** A gzip file written line by line, honouring back-pressure. */
export const openGzipLineWriter = (file: string) => {
  const gzip = createGzip();
  const out = createWriteStream(file, { mode: 0o600 });
  gzip.pipe(out);
  const finished = once(out, 'finish');
  return {
    async write(line: string) {
      if (!gzip.write(`${line}\n`)) await once(gzip, 'drain');
    },
    async close() {
      gzip.end();
      await finished;
    },
  };
};

export async function* readGzipLines(file: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) if (line.length > 0) yield line;
}
