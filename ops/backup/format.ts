import { z } from 'zod';

/**
 * The backup directory's layout and manifest. Bump FORMAT_VERSION when a file's meaning
 * changes; restore refuses formats it does not know.
 */
export const FORMAT_VERSION = 1;

export const backupDirPrefix = 'salesai-backup-';
export const manifestFile = 'manifest.json';
export const eventsFile = 'events.ndjson.gz';
export const pgDumpFile = 'database.pgdump';
/** A copy of the shredding ledger at backup time (for restoring older backups elsewhere). */
export const ledgerCopyFile = 'shredding-ledger.ndjson';
export const tableFile = (table: string) => `tables/${table}.copy.gz`;

/** One line of events.ndjson.gz: the event exactly as stored (bigints as decimal strings). */
export const eventLineSchema = z.object({
  position: z.string(),
  stream: z.string(),
  revision: z.string().regex(/^\d+$/),
  id: z.string(),
  type: z.string(),
  version: z.number().int(),
  data: z.unknown(),
  metadata: z.record(z.string(), z.unknown()),
  created: z.string(),
});
export type EventLine = z.infer<typeof eventLineSchema>;

const tableEntry = z.object({
  name: z.string(),
  file: z.string(),
  columns: z.array(z.string()),
  rows: z.number().int().nonnegative(),
  /** Restored as is; false for projection tables, which restore rebuilds from the events. */
  restore: z.boolean(),
});
export type TableEntry = z.infer<typeof tableEntry>;

export const manifestSchema = z.object({
  format: z.literal(FORMAT_VERSION),
  app: z.object({ name: z.string(), version: z.string() }),
  createdAt: z.string(),
  source: z.object({
    store: z.enum(['postgres', 'eventstoredb']),
    schema: z.string(),
    serverVersion: z.string(),
    /** Migrations applied at backup time: with the code of `app.version` they are the tables' DDL. */
    migrations: z.array(z.string()),
  }),
  events: z.object({
    file: z.string(),
    count: z.number().int().nonnegative(),
    streams: z.number().int().nonnegative(),
    /** Global position of the last event backed up (in the source store's numbering). */
    head: z.string(),
  }),
  tables: z.array(tableEntry),
  /** Rows of each projection's logical tables (views) and how far it lagged the events. */
  readModels: z.array(
    z.object({
      projection: z.string(),
      lagEvents: z.number().int().nullable(),
      tables: z.record(z.string(), z.number().int().nonnegative()),
    }),
  ),
  pgDump: z.object({ file: z.string(), tool: z.string() }).nullable(),
  /**
   * What it takes to read the data: the ring keys that wrap its data keys (by id; the keys
   * themselves are never in a backup) and a check value of the SECRET_KEY the API key hashes
   * need. Absent in backups made before it was recorded.
   */
  keys: z
    .object({
      ringKeys: z.array(z.object({ id: z.string(), dataKeys: z.number().int().nonnegative() })),
      destroyedDataKeys: z.number().int().nonnegative(),
      /** Where the source kept its SECRET_KEY: its configuration, or only its DATA_DIR/secret.key. */
      secretSource: z.enum(['SECRET_KEY', 'DATA_DIR/secret.key']),
      apiKeyCheck: z.string().regex(/^[0-9a-f]{16}$/),
      liveApiKeys: z.number().int().nonnegative(),
    })
    .optional(),
  /** The copy of the shredding ledger, when there was one. */
  ledger: z.object({ file: z.string(), entries: z.number().int().nonnegative() }).nullable().optional(),
  /** sha256 (hex) of every file, by path relative to the backup directory. */
  checksums: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** `salesai-backup-20260105T020000Z`: UTC, sortable, no characters awkward in paths. */
export const backupDirName = (at: Date) =>
  `${backupDirPrefix}${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`;

export const parseBackupDirName = (name: string): Date | null => {
  const match = /^salesai-backup-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(name);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
};
