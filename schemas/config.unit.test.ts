import { readFileSync } from 'node:fs';
import { parseEnv as parseDotEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, EnvSchema, llmChoice, parseEnv } from './config.ts';

const errorOf = (source: Record<string, string>) => {
  try {
    parseEnv(source);
  } catch (error) {
    return error as ConfigurationError;
  }
  throw new Error('expected a configuration error');
};

describe('configuration', () => {
  it('has a default for everything', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      APP_NAME: 'AI Sales Agent',
      ENVIRONMENT: 'development',
      LOG_LEVEL: 'info',
      PORT: 8000,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      DATABASE_POOL_SIZE: 20,
      DATABASE_MAX_OVERFLOW: 40,
      REDIS_MAX_CONNECTIONS: 50,
      SLACK_API_URL: 'https://slack.com/api/',
      LLM_PROVIDER: 'openai',
      LLM_TEMPERATURE: 0.7,
      LLM_MAX_TOKENS: 2000,
      LLM_REQUEST_TIMEOUT: 30,
      WORKERS: 1,
      SESSION_INACTIVITY_MINUTES: 30,
      CORS_ORIGINS: [],
      API_KEYS: [],
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.EVENTSTORE_URL).toBeUndefined();
  });

  it("reads the seed's .env values as the Python version wrote them", () => {
    const env = parseEnv({
      LOG_LEVEL: 'INFO',
      ENVIRONMENT: 'production',
      SECRET_KEY: 'a'.repeat(64),
      DATABASE_URL: 'postgresql+asyncpg://salesai_user:secure_password@localhost/salesai_db',
      CORS_ORIGINS: '["https://your-domain.com"]',
      ALLOWED_HOSTS: '["your-domain.com", "localhost"]',
      DEBUG: 'false',
      USE_MOCK_LLM: 'false',
      OPENAI_API_KEY: 'sk-test',
    });
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.DATABASE_URL).toBe('postgresql://salesai_user:secure_password@localhost/salesai_db');
    expect(env.CORS_ORIGINS).toEqual(['https://your-domain.com']);
    expect(env.ALLOWED_HOSTS).toEqual(['your-domain.com', 'localhost']);
    expect(env.DEBUG).toBe(false);
    expect(llmChoice(env)).toEqual({ provider: 'openai', model: 'gpt-4o' });
  });

  it('accepts comma-separated lists too, and treats empty values as unset', () => {
    const env = parseEnv({ CORS_ORIGINS: 'https://a.example, https://b.example', PORT: '', REDIS_URL: '  ' });
    expect(env.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(env.PORT).toBe(8000);
    expect(env.REDIS_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT', /whole number/],
    [{ PORT: '70000' }, 'PORT', /at most 65535/],
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE', /at least 1/],
    [{ LLM_TEMPERATURE: 'hot' }, 'LLM_TEMPERATURE', /number/],
    [{ LLM_PROVIDER: 'gemini' }, 'LLM_PROVIDER', /openai/],
    [{ REDIS_URL: 'http://localhost' }, 'REDIS_URL', /redis:\/\//],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', /postgresql/],
    [{ EVENTSTORE_URL: 'http://x' }, 'EVENTSTORE_URL', /esdb/],
    [{ USE_MOCK_LLM: 'maybe' }, 'USE_MOCK_LLM', /true or false/],
    [{ CORS_ORIGINS: '["a", 1]' }, 'CORS_ORIGINS', /JSON array/],
    [{ ENVIRONMENT: 'production' }, 'SECRET_KEY', /required when ENVIRONMENT=production/],
    [{ USE_MOCK_LLM: 'false', LLM_PROVIDER: 'anthropic' }, 'ANTHROPIC_API_KEY', /required/],
    [{ API_KEYS: 'ci:admin:0123456789abcdef' }, 'API_KEYS', /scope analyst, reviewer or ops/],
    [{ ENCRYPTION_KEYS: 'k1:short' }, 'ENCRYPTION_KEYS', /keyId:base64key/],
    [{ TRUSTED_PROXIES: '10.0.0.0/8,lb.internal' }, 'TRUSTED_PROXIES', /IP addresses or CIDR ranges/],
    [{ TRUSTED_PROXIES: '10.0.0.0/33' }, 'TRUSTED_PROXIES', /CIDR/],
    [{ EMBEDDINGS_PROVIDER: 'cohere' }, 'EMBEDDINGS_PROVIDER', /openai/],
    [{ EMBEDDINGS_PROVIDER: 'openai' }, 'OPENAI_API_KEY', /required when EMBEDDINGS_PROVIDER=openai/],
  ])('rejects %o naming %s in one line', (source, variable, message) => {
    const error = errorOf(source as Record<string, string>);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('never echoes the value of a secret variable', () => {
    const error = errorOf({ SLACK_BOT_TOKEN: 'zzz-secret-value' });
    expect(error.variable).toBe('SLACK_BOT_TOKEN');
    expect(error.message).not.toContain('zzz-secret-value');
    expect(errorOf({ PORT: 'abc' }).message).toContain('"abc"');
  });

  it('chooses the mock coach without a key, and the provider with one', () => {
    expect(llmChoice(parseEnv({})).provider).toBe('mock');
    expect(llmChoice(parseEnv({ USE_MOCK_LLM: 'true', OPENAI_API_KEY: 'sk' })).provider).toBe('mock');
    expect(
      llmChoice(parseEnv({ LLM_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: 'k', LLM_MODEL: 'claude-x' })),
    ).toEqual({
      provider: 'anthropic',
      model: 'claude-x',
    });
  });

  it('parses API keys and encryption keys', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const env = parseEnv({
      API_KEYS: 'grafana:analyst:0123456789abcdef0123,ops1:ops:fedcba9876543210fedc',
      ENCRYPTION_KEYS: `k1:${key}`,
    });
    expect(env.API_KEYS).toEqual([
      { name: 'grafana', scope: 'analyst', secret: '0123456789abcdef0123' },
      { name: 'ops1', scope: 'ops', secret: 'fedcba9876543210fedc' },
    ]);
    expect(env.ENCRYPTION_KEYS[0]?.id).toBe('k1');
    expect(env.ENCRYPTION_KEYS[0]?.key.length).toBe(32);
  });
});

describe('.env.example', () => {
  const text = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');

  it('is a valid configuration as it stands', () => {
    expect(() => parseEnv(parseDotEnv(text))).not.toThrow();
  });

  it('documents every variable the configuration knows', () => {
    const variables = Object.keys(EnvSchema.shape);
    const missing = variables.filter((v) => !new RegExp(`^#?\\s*${v}=`, 'm').test(text));
    expect(missing).toEqual([]);
  });
});

describe('manager in the loop configuration (issue 16)', () => {
  it('Sign in with Slack needs its client id, secret, DASHBOARD_URL and a workspace, each named when missing', () => {
    expect(() => parseEnv({ SLACK_CLIENT_ID: '123.456' })).toThrow(
      /^Invalid configuration: SLACK_CLIENT_SECRET /,
    );
    expect(() =>
      parseEnv({ SLACK_CLIENT_ID: '123.456', SLACK_CLIENT_SECRET: 's3cret', SLACK_TEAM_ID: 'T0AAA' }),
    ).toThrow(/^Invalid configuration: DASHBOARD_URL /);
    expect(() =>
      parseEnv({
        SLACK_CLIENT_ID: '1',
        SLACK_CLIENT_SECRET: 's',
        DASHBOARD_URL: 'https://x.example/dashboard',
      }),
    ).toThrow(/^Invalid configuration: SLACK_TEAM_ID /);
    expect(() => parseEnv({ DASHBOARD_URL: 'ftp://x' })).toThrow(/^Invalid configuration: DASHBOARD_URL /);
    const env = parseEnv({
      SLACK_CLIENT_ID: '1',
      SLACK_CLIENT_SECRET: 's',
      DASHBOARD_URL: 'https://x.example/dashboard',
      SLACK_BOT_TOKEN: 'xoxb-1',
    });
    expect(env.SLACK_OIDC_URL).toBe('https://slack.com/openid/connect/');
  });

  it('TEAM_USERGROUPS maps managers to Slack user groups', () => {
    expect(parseEnv({ TEAM_USERGROUPS: 'UMGR1:S0AAA|S0BBB; UMGR2:S0CCC' }).TEAM_USERGROUPS).toEqual({
      UMGR1: ['S0AAA', 'S0BBB'],
      UMGR2: ['S0CCC'],
    });
    expect(() => parseEnv({ TEAM_USERGROUPS: 'UMGR1:UREP1' })).toThrow(
      /^Invalid configuration: TEAM_USERGROUPS /,
    );
    expect(parseEnv({}).TEAM_USERGROUPS_TTL).toBe(300);
  });
});
