import type { HealthCheck } from '../../read-api/health/checks.ts';
import { type Env, llmChoice } from '../../schemas/config.ts';

const WINDOW_MS = 5 * 60_000;

/**
 * The LLM as a health component: which provider and model the coach uses, whether this process
 * runs the agent, and failures in the last five minutes (degraded while there are any: users
 * are getting the apology instead of advice). Not required: the rest of the service works.
 */
export const createLlmHealth = (env: Env, agentStatus: () => string | null) => {
  const failures: { at: number; reason: string }[] = [];
  const recent = () => {
    const since = Date.now() - WINDOW_MS;
    while (failures.length > 0 && failures[0]!.at < since) failures.shift();
    return failures;
  };
  const choice = llmChoice(env);
  const check: HealthCheck = {
    name: 'llm',
    required: false,
    check: async () => {
      const list = recent();
      return {
        status: list.length > 0 ? 'degraded' : 'ok',
        latencyMs: 0,
        ...(list.length > 0
          ? { detail: `${list.length} failed LLM calls in the last 5 minutes (last: ${list.at(-1)!.reason})` }
          : {}),
        info: {
          provider: choice.provider,
          model: choice.model,
          agent: agentStatus() ?? 'not in this process',
          recentFailures: list.length,
        },
      };
    },
  };
  return {
    check,
    recordFailure: (reason: string) => {
      failures.push({ at: Date.now(), reason });
      if (failures.length > 1000) failures.shift();
    },
  };
};
