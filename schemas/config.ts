import { isIP } from 'node:net';
import { z } from 'zod';
import { digestScheduleVariable, timeZoneVariable } from './digest-schedule.ts';

/**
 * Configuration: every variable of the seed's `.env` keeps its name and meaning; the
 * TypeScript version adds a few (INTERFACES.md). Everything is optional; a wrong value
 * stops start-up with one line naming the variable.
 */

const bool = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { error: 'expected true or false' }))
    .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on')
    .optional()
    .transform((v) => v ?? fallback);

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, `expected a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `expected at least ${min}`).max(max, `expected at most ${max}`))
    .optional()
    .transform((v) => v ?? fallback);

const num = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, `expected a number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `expected at least ${min}`).max(max, `expected at most ${max}`))
    .optional()
    .transform((v) => v ?? fallback);

/** The seed writes lists as JSON arrays (`["a", "b"]`); a comma-separated list works too. */
const list = z
  .string()
  .trim()
  .transform((raw, ctx) => {
    if (raw === '') return [];
    if (raw.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string'))
          return parsed.map((s) => s.trim());
      } catch {}
      ctx.addIssue({ code: 'custom', message: 'expected a JSON array of strings or a comma-separated list' });
      return z.NEVER;
    }
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  })
  .optional()
  .transform((v) => v ?? []);

/** IP addresses and CIDR ranges, IPv4 or IPv6 (`10.0.0.0/8`, `2001:db8::/32`). */
const isIpOrCidr = (entry: string) => {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
};
const ipList = list.pipe(
  z.array(z.string().refine(isIpOrCidr, 'expected IP addresses or CIDR ranges (10.0.0.0/8, 2001:db8::/32)')),
);

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const url = (protocols: string[], hint: string) =>
  optionalString.pipe(
    z
      .string()
      .refine((v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      }, `expected ${hint}`)
      .optional(),
  );

/** `postgresql+asyncpg://…` from the Python version means the same database to us. */
const databaseUrl = optionalString
  .transform((v) => v?.replace(/^postgres(ql)?\+\w+:\/\//, 'postgresql://'))
  .pipe(url(['postgres:', 'postgresql:'], 'a postgresql:// connection URL'));

/**
 * Read API scopes, each including the one before: `analyst` (scores, growth, insights, session
 * lists without message text, knowledge) ⊂ `reviewer` (also transcripts) ⊂ `ops` (everything,
 * and operations).
 */
export const ApiKeyScope = z.enum(['analyst', 'reviewer', 'ops']);
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;

const apiKeys = list.pipe(
  z.array(
    z
      .string()
      .regex(
        /^[\w.-]+:(analyst|reviewer|ops):\S{16,}$/,
        'expected name:scope:secret with scope analyst, reviewer or ops and a secret of 16+ characters',
      )
      .transform((entry) => {
        const [name, scope, ...secret] = entry.split(':');
        return { name: name!, scope: scope as ApiKeyScope, secret: secret.join(':') };
      }),
  ),
);

const encryptionKeys = list.pipe(
  z.array(
    z
      .string()
      .regex(/^[\w-]+:[A-Za-z0-9+/=_-]{43,}$/, 'expected keyId:base64key entries (32-byte keys)')
      .transform((entry, ctx) => {
        const [id, b64] = entry.split(':') as [string, string];
        const key = Buffer.from(b64, 'base64');
        if (key.length !== 32) {
          ctx.addIssue({ code: 'custom', message: `key ${id} must be 32 bytes, got ${key.length}` });
          return z.NEVER;
        }
        return { id, key };
      }),
  ),
);

/**
 * Slack authorization: which reps each manager sees, `U_MGR1:U_REP1|U_REP2;U_MGR2:U_REP3`
 * (write/authorization/policy.ts). A manager must also be listed in MANAGER_USER_IDS.
 */
const teams = optionalString.transform((raw, ctx) => {
  const result: Record<string, string[]> = {};
  if (raw === undefined) return result;
  const entries = raw.split(';').map((e) => e.trim());
  for (const entry of entries.filter((e) => e !== '')) {
    const match = /^([A-Z0-9]+)\s*:\s*([A-Z0-9]+(?:\s*\|\s*[A-Z0-9]+)*)$/.exec(entry);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: 'expected MANAGER:REP1|REP2;… with Slack user ids' });
      return z.NEVER;
    }
    const members = match[2]!.split('|').map((m) => m.trim());
    result[match[1]!] = [...new Set([...(result[match[1]!] ?? []), ...members])];
  }
  return result;
});

/** `U_MGR:S_GROUP1|S_GROUP2;…`: the members of these Slack user groups are the manager's team. */
const teamUserGroups = optionalString.transform((raw, ctx) => {
  const result: Record<string, string[]> = {};
  if (raw === undefined) return result;
  for (const entry of raw
    .split(';')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    const match = /^([A-Z0-9]+)\s*:\s*(S[A-Z0-9]+(?:\s*\|\s*S[A-Z0-9]+)*)$/.exec(entry);
    if (!match) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected MANAGER:SGROUP1|SGROUP2;… with Slack user and user group ids',
      });
      return z.NEVER;
    }
    const groups = match[2]!.split('|').map((g) => g.trim());
    result[match[1]!] = [...new Set([...(result[match[1]!] ?? []), ...groups])];
  }
  return result;
});

export const EnvSchema = z
  .object({
    APP_NAME: optionalString.transform((v) => v ?? 'AI Sales Agent'),
    APP_VERSION: optionalString,
    ENVIRONMENT: optionalString
      .transform((v) => v?.toLowerCase() ?? 'development')
      .pipe(z.enum(['development', 'test', 'staging', 'production'])),
    DEBUG: bool(false),
    LOG_LEVEL: optionalString
      .transform((v) =>
        (v ?? 'info')
          .toLowerCase()
          .replace(/^warning$/, 'warn')
          .replace(/^critical$/, 'fatal'),
      )
      .pipe(z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])),
    LOG_FILE: optionalString,
    PORT: int(8000, 0, 65535),
    HOST: optionalString.transform((v) => v ?? '127.0.0.1'),
    DATA_DIR: optionalString.transform((v) => v ?? './data'),
    BACKUP_RETENTION_DAYS: int(30, 0, 36500),
    /** forget-user's record of destroyed data keys, re-applied by restore; unset = DATA_DIR/shredding-ledger.ndjson. */
    SHREDDING_LEDGER: optionalString,

    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: optionalString
      .transform((v) => v ?? 'public')
      .pipe(z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a lower-case SQL identifier')),
    DATABASE_POOL_SIZE: int(20, 1, 1000),
    DATABASE_MAX_OVERFLOW: int(40, 0, 1000),
    /** Seconds a statement of the serving pool may run before Postgres cancels it; 0 = no limit. */
    DATABASE_STATEMENT_TIMEOUT: num(30, 0, 86400),
    REDIS_URL: url(['redis:', 'rediss:'], 'a redis:// or rediss:// URL'),
    REDIS_MAX_CONNECTIONS: int(50, 1, 10000),
    /** Seconds a Redis command, or the wait for a free connection, may take before callers fall back. */
    REDIS_TIMEOUT: num(1, 0.05, 60),
    EVENTSTORE_URL: url(
      ['esdb:', 'esdb+discover:', 'kurrentdb:', 'kurrentdb+discover:', 'kurrent:'],
      'an esdb:// or kurrentdb:// connection string',
    ),

    SLACK_BOT_TOKEN: optionalString.pipe(
      z.string().startsWith('xox', 'expected a Slack token (xoxb-…)').optional(),
    ),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: optionalString.pipe(
      z.string().startsWith('xapp-', 'expected an app-level token (xapp-…)').optional(),
    ),
    SLACK_API_URL: url(['http:', 'https:'], 'an http(s) URL').transform((v) => v ?? 'https://slack.com/api/'),
    /** Seconds: a Slack 429 asking to wait longer fails the call instead of holding it. */
    SLACK_MAX_RETRY_AFTER: int(30, 0, 3600),

    USE_MOCK_LLM: optionalString.pipe(bool(false)).optional(),
    LLM_PROVIDER: optionalString
      .transform((v) => v?.toLowerCase() ?? 'openai')
      .pipe(z.enum(['openai', 'anthropic', 'mock'])),
    LLM_MODEL: optionalString,
    LLM_TEMPERATURE: num(0.7, 0, 2),
    LLM_MAX_TOKENS: int(2000, 1, 200000),
    LLM_REQUEST_TIMEOUT: num(30, 1, 600),
    /** Seconds a whole streamed answer may take (LLM_REQUEST_TIMEOUT bounds the wait for its start). */
    LLM_STREAM_TIMEOUT: num(120, 1, 3600),
    OPENAI_API_KEY: optionalString,
    ANTHROPIC_API_KEY: optionalString,
    OPENAI_BASE_URL: url(['http:', 'https:'], 'an http(s) URL'),
    ANTHROPIC_BASE_URL: url(['http:', 'https:'], 'an http(s) URL'),

    SECRET_KEY: optionalString.pipe(
      z.string().min(32, 'expected at least 32 characters (openssl rand -hex 32)').optional(),
    ),
    ENCRYPTION_KEYS: encryptionKeys,
    /** Slack users who may see their team's history (TEAMS); everyone else sees only their own. */
    MANAGER_USER_IDS: list,
    TEAMS: teams,
    // --- Manager in the loop (issue 16): Slack user groups as teams, Sign in with Slack ---
    /** Slack user groups as teams: `U_MGR:S_GROUP1|S_GROUP2;…` (members read with usergroups.users.list). */
    TEAM_USERGROUPS: teamUserGroups,
    /** Seconds a user group's members are cached before Slack is asked again. */
    TEAM_USERGROUPS_TTL: int(300, 1, 86_400),
    /** The Slack app's OAuth client id and secret: set both to offer "Sign in with Slack" on the dashboard. */
    SLACK_CLIENT_ID: optionalString,
    SLACK_CLIENT_SECRET: optionalString,
    /** The dashboard's public URL (`https://your-domain.com/dashboard`); the OIDC redirect URI is under it. */
    DASHBOARD_URL: url(['http:', 'https:'], 'an http(s) URL such as https://your-domain.com/dashboard'),
    /** Base URL of Slack's OpenID Connect pages (authorize, keys); tests point it at a local stub. */
    SLACK_OIDC_URL: url(['http:', 'https:'], 'an http(s) URL').transform(
      (v) => v ?? 'https://slack.com/openid/connect/',
    ),
    /** The workspace whose members may sign in (unset: the bot token's workspace, from auth.test). */
    SLACK_TEAM_ID: optionalString.pipe(
      z
        .string()
        .regex(/^[TE][A-Z0-9]+$/, 'expected a Slack team id (T…)')
        .optional(),
    ),
    // --- end manager in the loop ---
    API_KEYS: apiKeys,
    CORS_ORIGINS: list,
    ALLOWED_HOSTS: list,
    METRICS_ALLOWED_IPS: list,
    /** Proxies whose X-Forwarded-For is believed (IPs, CIDRs); empty = loopback (nginx on the host). */
    TRUSTED_PROXIES: ipList,
    /** Guests and external (Slack Connect) users reach the internal knowledge base too. */
    ALLOW_GUEST_KNOWLEDGE: bool(false),
    /** The seed's limits: 100 requests a minute and 1,000 an hour per key or client IP. */
    RATE_LIMIT_PER_MINUTE: int(100, 1, 10_000_000),
    RATE_LIMIT_PER_HOUR: int(1000, 1, 100_000_000),

    WORKERS: int(1, 1, 64),
    WORKER_CONNECTIONS: int(1000, 1, 100000),
    KEEPALIVE: int(5, 0, 3600),

    /** A YAML glossary read after the shipped one (knowledge/glossary.yaml): more words for search. */
    KNOWLEDGE_GLOSSARY: optionalString,
    /** Semantic search beside BM25F (reciprocal rank fusion): `openai` uses OPENAI_API_KEY / OPENAI_BASE_URL. */
    EMBEDDINGS_PROVIDER: optionalString
      .transform((v) => v?.toLowerCase() ?? 'none')
      .pipe(z.enum(['none', 'openai'])),
    EMBEDDINGS_MODEL: optionalString.transform((v) => v ?? 'text-embedding-3-small'),

    SESSION_INACTIVITY_MINUTES: int(30, 1, 24 * 60),
    /** When the agent derives insights: after each reply, or once per session when it ends. */
    INSIGHTS_MODE: optionalString
      .transform((v) => v?.toLowerCase() ?? 'reply')
      .pipe(z.enum(['reply', 'session_end'])),
    /** Conversations the agent answers at once, per process: sized for LLM latency, not CPU. */
    AGENT_CONCURRENCY: int(32, 1, 10_000),
    /** Insights derived at once, per process, after their replies (0 = a quarter of AGENT_CONCURRENCY). */
    AGENT_INSIGHT_CONCURRENCY: int(0, 0, 10_000),
    /** Partitions of conversations that agent processes share (each owned by one process at a time). */
    AGENT_PARTITIONS: int(16, 1, 1024),
    /** Messages of one rep per minute that reach the LLM; the rest get a short note (0 = no limit). */
    AGENT_REP_MESSAGES_PER_MINUTE: int(20, 0, 100_000),
    /** LLM requests in flight at once, per process (0 = AGENT_CONCURRENCY plus the insights'). */
    LLM_MAX_IN_FLIGHT: int(0, 0, 10_000),

    // Growth ranking, skill targets and the weekly digest (issue 16, targets).
    /** Recent scored sessions a rep's growth slope is fitted over (team ranking, target projections). */
    GROWTH_WINDOW_SESSIONS: int(8, 2, 100),
    /** The workspace's time zone: digest weeks and send time, target due dates. */
    DIGEST_TIMEZONE: timeZoneVariable,
    /** When the weekly digest DM goes out: `mon 09:00` (weekday and time in DIGEST_TIMEZONE) or `off`. */
    DIGEST_SCHEDULE: digestScheduleVariable,
  })
  .superRefine((env, ctx) => {
    if (env.ENVIRONMENT === 'production' && env.SECRET_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['SECRET_KEY'],
        message: 'is required when ENVIRONMENT=production',
      });
    }
    if (env.USE_MOCK_LLM === false && env.LLM_PROVIDER === 'openai' && !env.OPENAI_API_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['OPENAI_API_KEY'],
        message: 'is required when USE_MOCK_LLM=false and LLM_PROVIDER=openai',
      });
    }
    if (env.EMBEDDINGS_PROVIDER === 'openai' && !env.OPENAI_API_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['OPENAI_API_KEY'],
        message: 'is required when EMBEDDINGS_PROVIDER=openai',
      });
    }
    // Sign in with Slack needs the client id, its secret and where Slack sends the browser back.
    if (env.SLACK_CLIENT_ID !== undefined || env.SLACK_CLIENT_SECRET !== undefined) {
      for (const name of ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'DASHBOARD_URL'] as const) {
        if (env[name] === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message:
              'is required for Sign in with Slack (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and DASHBOARD_URL together)',
          });
        }
      }
      if (env.SLACK_TEAM_ID === undefined && env.SLACK_BOT_TOKEN === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_TEAM_ID'],
          message: 'is required for Sign in with Slack without SLACK_BOT_TOKEN (which workspace may sign in)',
        });
      }
    }
    if (env.USE_MOCK_LLM === false && env.LLM_PROVIDER === 'anthropic' && !env.ANTHROPIC_API_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['ANTHROPIC_API_KEY'],
        message: 'is required when USE_MOCK_LLM=false and LLM_PROVIDER=anthropic',
      });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

/** Variables whose values are never printed, logged or echoed in an error. */
export const secretVariables = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_CLIENT_SECRET',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'SECRET_KEY',
  'ENCRYPTION_KEYS',
  'API_KEYS',
  'DATABASE_URL',
  'REDIS_URL',
  'EVENTSTORE_URL',
] as const;

export type LlmChoice = { provider: 'openai' | 'anthropic' | 'mock'; model: string };

const defaultModels = { openai: 'gpt-4o', anthropic: 'claude-sonnet-4-5', mock: 'mock-coach-1' } as const;

/** No key (and no explicit USE_MOCK_LLM=false) means the deterministic mock coach. */
export const llmChoice = (env: Env): LlmChoice => {
  const keyPresent =
    env.LLM_PROVIDER === 'openai'
      ? !!env.OPENAI_API_KEY
      : env.LLM_PROVIDER === 'anthropic'
        ? !!env.ANTHROPIC_API_KEY
        : false;
  const provider =
    env.USE_MOCK_LLM === true || env.LLM_PROVIDER === 'mock' || !keyPresent ? 'mock' : env.LLM_PROVIDER;
  return {
    provider,
    model: provider === env.LLM_PROVIDER && env.LLM_MODEL ? env.LLM_MODEL : defaultModels[provider],
  };
};

export class ConfigurationError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigurationError';
    this.variable = variable;
  }
}

/** Parses the environment; throws a ConfigurationError whose message is one line naming the variable. */
export const parseEnv = (source: Record<string, string | undefined>): Env => {
  // An empty value means unset (docker-compose passes `${X:-}` as '').
  const present = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const result = EnvSchema.safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const variable = String(issue.path[0] ?? 'environment');
  const raw = source[variable];
  const shown =
    raw === undefined || (secretVariables as readonly string[]).includes(variable)
      ? ''
      : ` (got ${JSON.stringify(raw.slice(0, 60))})`;
  throw new ConfigurationError(variable, `${issue.message.replace(/^Invalid input: /, '')}${shown}`);
};
