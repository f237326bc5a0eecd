/**
 * Failures of the infrastructure that pass by themselves: the database restarting, refusing
 * connections (too many clients), a connection cut, a deadlock. The agent waits them out and
 * tries again for as long as it runs, never passing over a rep's message because of them.
 * Recognised by the error's shape, without importing a driver.
 */
const transientSqlStates = /^(08|53|57P0[123]|40001$|40P01$)/;
const transientNodeCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
const transientMessages =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|too many clients/i;

export const isTransient = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (transientSqlStates.test(code) || transientNodeCodes.has(code)))
    return true;
  if (transientMessages.test(error.message)) return true;
  return error.cause !== undefined && error.cause !== error && isTransient(error.cause);
};
