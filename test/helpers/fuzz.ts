import type { Prng } from './prng.ts';

/** Values that break naive parsers: wrong types, edge numbers, empty and huge strings, scripts. */
export const oddValues: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1e308,
  -0,
  '',
  ' ',
  '🙂',
  '価格',
  '\u0000',
  '\u202e',
  'x'.repeat(50_000),
  [],
  {},
  [1, 'a'],
  { a: { b: [] } },
  'U',
  'D1',
  '1.2',
  'NaN',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '__proto__',
];

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Paths to every value inside `value` (objects and arrays), the root included. */
const pathsOf = (value: Json, path: (string | number)[] = [], out: (string | number)[][] = []) => {
  out.push(path);
  if (Array.isArray(value)) for (const [i, v] of value.entries()) pathsOf(v, [...path, i], out);
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) pathsOf(v, [...path, k], out);
  return out;
};

const getAt = (value: Json, path: (string | number)[]): Json =>
  path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k], value);

const setAt = (value: Json, path: (string | number)[], replacement: Json | undefined): Json => {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && replacement === undefined) copy.splice(head as number, 1);
    else copy[head as number] = setAt(copy[head as number], rest, replacement);
    return copy;
  }
  const copy = { ...(value as Record<string, Json>) };
  if (rest.length === 0 && replacement === undefined) delete copy[head as string];
  else copy[head as string] = setAt(copy[head as string], rest, replacement);
  return copy;
};

/**
 * One mutation somewhere in a JSON value: a field removed, added, retyped or replaced by an odd
 * value, a string cut or grown, a number shifted. Every choice comes from `prng`.
 */
export const mutateOnce = (prng: Prng, value: Json): Json => {
  const paths = pathsOf(value);
  const path = prng.pick(paths);
  const target = getAt(value, path);
  const roll = prng.int(0, 5);
  if (roll === 0 && path.length > 0) return setAt(value, path, undefined);
  if (roll === 1 && (isObject(target) || Array.isArray(target))) {
    const key = isObject(target) ? prng.pick(['type', 'event', 'user', 'text', prng.hex(3)]) : target.length;
    return setAt(value, [...path, key], prng.pick(oddValues));
  }
  if (roll === 2 && typeof target === 'string')
    return setAt(
      value,
      path,
      prng.chance(0.5) ? target.slice(0, prng.int(0, target.length)) : target + prng.pick(oddValues),
    );
  if (roll === 3 && typeof target === 'number') return setAt(value, path, target + prng.int(-1000, 1000));
  if (roll === 4) return setAt(value, path, prng.pick(oddValues));
  return setAt(value, path, typeof target === 'string' ? [target] : String(target));
};

/** `count` mutations in a row. */
export const mutate = (prng: Prng, value: Json, count: number): Json => {
  let out = value;
  for (let i = 0; i < count; i++) out = mutateOnce(prng, out);
  return out;
};

/** Runs `requests` with at most `concurrency` at once, counting answers by status. */
export const fire = async <R>(
  requests: readonly R[],
  concurrency: number,
  send: (request: R) => Promise<number>,
): Promise<Map<number, number>> => {
  const statuses = new Map<number, number>();
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++]!;
      const status = await send(request);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
};

/**
 * Postgres errors of the server's surroundings (too many clients on a shared server, a connection
 * lost): the code's answer to them (retry, restart) is tested elsewhere; here they are not the
 * input's fault.
 */
const environmental = (line: string) => {
  try {
    const code = (JSON.parse(line) as { err?: { code?: unknown } }).err?.code;
    return typeof code === 'string' && /^(08|53|57P)/.test(code);
  } catch {
    return false;
  }
};

/** Log lines of a server that tell of an error no handler dealt with (pino error/fatal, crashes). */
export const unhandledErrors = (output: string): string[] =>
  output
    .split('\n')
    .filter(
      (line) =>
        (/"level":\s*(50|60|"error"|"fatal")[,}]/.test(line) && !environmental(line)) ||
        /Unhandled|uncaught|UnhandledPromiseRejection|ERR_UNHANDLED/i.test(line) ||
        /^(TypeError|RangeError|ReferenceError|SyntaxError)\b/.test(line),
    );

/**
 * Sends a request; a 5xx is sent once more a moment later. One that answers 5xx again is the
 * input's fault (`repeated`); one that does not was the surroundings' (the shared database
 * refusing connections for a moment), and is counted as `transient`.
 */
export const sendTwiceOn5xx = async (send: () => Promise<Response>, pauseMs = 1000) => {
  const first = await send();
  await first.arrayBuffer();
  if (first.status < 500) return { status: first.status, transient: false, repeated: false };
  await new Promise((resolve) => setTimeout(resolve, pauseMs));
  const again = await send();
  await again.arrayBuffer();
  return again.status < 500
    ? { status: again.status, transient: true, repeated: false }
    : { status: again.status, transient: false, repeated: true };
};
