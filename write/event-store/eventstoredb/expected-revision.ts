import { ANY, type AppendExpectedRevision, NO_STREAM, STREAM_EXISTS } from '@eventstore/db-client';
import type { ExpectedRevision } from '../port.ts';

/** Our expected revision as the client's: the same four cases under the client's constants. */
export const toClientExpectedRevision = (expected: ExpectedRevision): AppendExpectedRevision => {
  if (typeof expected === 'bigint') return expected;
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default: {
      const unknown: never = expected;
      throw new Error(`unknown expected revision: ${String(unknown)}`);
    }
  }
};

/** How an expected revision reads in a WrongExpectedRevisionError (the Postgres store's form). */
export const expectedRevisionToString = (expected: ExpectedRevision): string =>
  typeof expected === 'bigint' ? expected.toString() : expected;
