import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Concepts the stub "understands": a text's vector counts, per concept, the keywords it
 * contains, so texts about the same thing in other words (or the other language) are close.
 * A few hashed character bigrams make every text's vector a little different.
 */
const concepts: readonly (readonly string[])[] = [
  ['高い', '価格', '値段', '値引', 'price', 'pricey', 'cost', 'discount', 'budget', '予算', '費用'],
  ['更新', 'renewal', 'renew', 'upsell', 'アップセル', 'churn'],
  ['稟議', 'approval', '決裁', 'sign-off'],
  ['雑談', 'アイスブレイク', 'small talk', 'icebreak'],
];
const hashedDimensions = 8;
export const stubDimensions = concepts.length + hashedDimensions;

export const stubVector = (text: string): number[] => {
  const lower = text.toLowerCase();
  const vector = concepts.map((words) => words.filter((w) => lower.includes(w)).length);
  const hashed = new Array<number>(hashedDimensions).fill(0);
  for (let i = 0; i + 1 < lower.length; i++) {
    const h = (lower.charCodeAt(i) * 31 + lower.charCodeAt(i + 1)) % hashedDimensions;
    hashed[h]! += 0.01;
  }
  return [...vector, ...hashed];
};

export type EmbeddingsStub = {
  url: string;
  requests: { model: unknown; input: unknown; encoding_format: unknown }[];
  close: () => Promise<void>;
};

const readJson = async (req: IncomingMessage) => {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return JSON.parse(raw) as { model?: unknown; input?: unknown; encoding_format?: unknown };
};

/**
 * A local OpenAI embeddings endpoint (`POST /v1/embeddings`) for the real `openai` SDK, which
 * asks for base64 (little-endian float32) unless told otherwise: both are served.
 */
export const startEmbeddingsStub = async (): Promise<EmbeddingsStub> => {
  const requests: EmbeddingsStub['requests'] = [];
  const server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"no route"}}');
      return;
    }
    const body = await readJson(req);
    requests.push({ model: body.model, input: body.input, encoding_format: body.encoding_format });
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const data = inputs.map((input, index) => {
      const vector = stubVector(String(input));
      const embedding =
        body.encoding_format === 'base64'
          ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
          : vector;
      return { object: 'embedding', index, embedding };
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        object: 'list',
        data,
        model: body.model,
        usage: { prompt_tokens: 1, total_tokens: 1 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
