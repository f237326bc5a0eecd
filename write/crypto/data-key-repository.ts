/** One subject's data key as stored: wrapped by a ring key, or destroyed (forgotten). */
export type DataKeyRow = {
  subjectId: string;
  /** Starts at 1; a forgotten subject who writes again gets a new key of the next generation. */
  generation: number;
  /** The ring key that wraps it; null once destroyed. */
  keyId: string | null;
  wrappedKey: Buffer | null;
  createdAt: Date;
  destroyedAt: Date | null;
};

/** Where wrapped data keys live (Postgres, whichever event store is used). */
export type DataKeyRepository = {
  find(subjectId: string): Promise<DataKeyRow | null>;
  /** Inserts generation 1 unless a row exists; returns the stored row either way (a racing writer may win). */
  create(subjectId: string, keyId: string, wrappedKey: Buffer): Promise<DataKeyRow>;
  /** A destroyed key's subject writes again: the next generation, if the row is still at `generation`. */
  renew(subjectId: string, generation: number, keyId: string, wrappedKey: Buffer): Promise<DataKeyRow>;
  /** Deletes the wrapped key; null when the subject never had one. */
  destroy(subjectId: string): Promise<DataKeyRow | null>;
  /** Live keys not wrapped by `keyId`, at most `limit` (for rotation). */
  wrappedByOthers(keyId: string, limit: number, afterSubject: string): Promise<DataKeyRow[]>;
  /** Replaces the wrapping if it is still the one read (a concurrent rotation or forget wins). */
  rewrap(row: DataKeyRow, keyId: string, wrappedKey: Buffer): Promise<boolean>;
  /** Up to `perRingKey` live keys wrapped by each ring key in use (a cheap proof that the ring opens them). */
  sampleByRingKey(perRingKey: number): Promise<DataKeyRow[]>;
  /** Live data keys per ring key id, and how many are destroyed. */
  countByRingKey(): Promise<{ keyId: string | null; count: number }[]>;
};
