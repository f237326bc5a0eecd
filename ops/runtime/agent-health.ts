import type pg from 'pg';
import type { HealthCheck } from '../../read-api/health/checks.ts';
import type { Env } from '../../schemas/config.ts';
import { defaultReactorName } from '../../write/agent/reactor/reactor.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { readAgentBacklog, slowestAgentCheckpoint } from './agent/backlog.ts';
import type { AgentView } from './agent.ts';

/** A message unanswered this long makes the agent degraded. */
const WAIT_WARNING_SECONDS = 60;
/** Counting the backlog stops here (it only has to show that it is large). */
const COUNT_CAP = 10_000;

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/**
 * The agent as a health component, in every process: the backlog over all agent processes
 * (rep messages past the slowest partition's checkpoint, and how long the oldest has waited),
 * and, where the agent runs, this process's own queue and LLM gate. Degraded when a message
 * has waited over a minute; not required (the rest of the service works without the agent).
 */
export const agentHealthCheck = (
  env: Env,
  pool: pg.Pool,
  store: EventStore,
  agent: () => AgentView | null,
): HealthCheck => ({
  name: 'agent',
  required: false,
  check: async () => {
    const started = performance.now();
    const since = await slowestAgentCheckpoint(pool, defaultReactorName, env.AGENT_PARTITIONS);
    const lag = await readAgentBacklog(pool, store, defaultReactorName, Date.now, env.AGENT_PARTITIONS);
    const types = ['MessageReceived'];
    const [behind, first] = await Promise.all([
      store.countEventsAfter?.(since ?? { commit: 0n, prepare: 0n }, COUNT_CAP, types) ?? null,
      store.readAll({ ...(since ? { after: since } : {}), maxCount: 1, types }),
    ]);
    const oldestMs = first[0] ? Date.now() - first[0].createdAt.getTime() : 0;
    const here = agent();
    const backlog = here?.backlog() ?? null;
    const localOldestMs = backlog?.oldestUnansweredSince ? Date.now() - backlog.oldestUnansweredSince : 0;
    const waitedMs = Math.max(oldestMs, localOldestMs);
    const late = waitedMs / 1000 > WAIT_WARNING_SECONDS;
    return {
      status: late ? 'degraded' : 'ok',
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      ...(late ? { detail: `a message has waited ${Math.round(waitedMs / 1000)}s for its answer` } : {}),
      info: {
        backlogMessages: behind,
        // Every event the agent acts on past its slowest checkpoint, and the age of the oldest.
        backlogEvents: lag.events,
        lagSeconds: lag.lagSeconds,
        oldestUnansweredSeconds: seconds(waitedMs),
        partitions: env.AGENT_PARTITIONS,
        thisProcess: here
          ? {
              status: here.status(),
              ...(backlog
                ? {
                    partitionsOwned: backlog.partitions.owned,
                    queued: backlog.queued,
                    answering: backlog.running,
                    insights: backlog.insights,
                    oldestUnansweredSeconds: seconds(localOldestMs),
                  }
                : {}),
              llm: here.llm(),
            }
          : 'not running here',
      },
    };
  },
});
