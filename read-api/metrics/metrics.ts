import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { metricNames } from '../../schemas/api/metrics.ts';

/** What the agent of this process reports, read at each scrape (null: the agent does not run here). */
export type AgentFigures = {
  queued: number;
  running: number;
  insights: number;
  partitionsOwned: number;
  oldestWaitingSince: number | null;
  oldestUnansweredSince: number | null;
  llmInFlight: number;
  llmWaiting: number;
  llmPausedForMs: number;
};

export type MetricsOptions = {
  /** Process metrics (CPU, memory, event loop, GC); tests that make many registries may skip them. */
  defaultMetrics?: boolean;
};

/**
 * The process's metrics, in a registry of their own (not prom-client's global one, so tests can
 * make several). Every layer's metrics are created here and handed out by the composition root:
 * write/ and projections/ never import read-api, they receive the metric objects they update.
 */
export const createMetrics = ({ defaultMetrics = true }: MetricsOptions = {}) => {
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let agent: () => AgentFigures | null = () => null;
  const now = () => Date.now();
  /** A gauge read from the agent at scrape time; absent while the agent does not run here. */
  const agentGauge = (name: string, help: string, read: (f: AgentFigures) => number | null) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.reset();
        const figures = agent();
        const value = figures ? read(figures) : null;
        if (value !== null) this.set(value);
      },
    });
  const ageOf = (since: number | null) => (since === null ? 0 : Math.max(0, (now() - since) / 1000));
  agentGauge(
    metricNames.agentQueueLength,
    'Rep messages read by the agent and waiting for their turn',
    (f) => f.queued,
  );
  agentGauge(
    metricNames.agentConversationsInFlight,
    'Conversations the agent is answering now',
    (f) => f.running,
  );
  agentGauge(
    metricNames.agentOldestWaitingAge,
    'Age of the oldest message waiting for its turn (0: none waits)',
    (f) => ageOf(f.oldestWaitingSince),
  );
  agentGauge(
    metricNames.agentOldestUnansweredAge,
    'Age of the oldest message read and not answered yet (0: none)',
    (f) => ageOf(f.oldestUnansweredSince),
  );
  agentGauge(
    metricNames.agentInsightsPending,
    'Insights waiting or being derived after their replies',
    (f) => f.insights,
  );
  agentGauge(
    metricNames.agentPartitionsOwned,
    'Partitions of conversations this process owns',
    (f) => f.partitionsOwned,
  );
  agentGauge(metricNames.llmCallsInFlight, 'LLM requests in flight from this process', (f) => f.llmInFlight);
  agentGauge(metricNames.llmCallsWaiting, 'LLM requests waiting at this process gate', (f) => f.llmWaiting);
  agentGauge(
    metricNames.llmRateLimitPause,
    'Seconds left of a pause the LLM provider asked for (429 retry-after): no request is sent meanwhile',
    (f) => f.llmPausedForMs / 1000,
  );
  return {
    registry,
    /** Where the agent's gauges read from (ops sets it when the agent runs in this process). */
    observeAgent: (read: () => AgentFigures | null) => {
      agent = read;
    },
    agentThrottled: new Counter({
      name: metricNames.agentThrottledMessages,
      help: 'Rep messages over the per-minute limit, answered with a note instead of the LLM',
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: metricNames.httpRequestDuration,
      help: 'HTTP request duration by method, route pattern and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    cacheRequests: new Counter({
      name: metricNames.cacheRequests,
      help: 'Cache key reads by result (hit, miss) and failed cache operations (error)',
      labelNames: ['result'] as const,
      registers,
    }),
    eventsAppended: new Counter({
      name: metricNames.eventsAppended,
      help: 'Events appended to the event store, by event type',
      labelNames: ['type'] as const,
      registers,
    }),
    projectionPosition: new Gauge({
      name: metricNames.projectionPosition,
      help: 'Commit position of the last event a projection applied',
      labelNames: ['projection'] as const,
      registers,
    }),
    projectionLag: new Gauge({
      name: metricNames.projectionLag,
      help: 'Events a projection has yet to apply',
      labelNames: ['projection'] as const,
      registers,
    }),
    deadLetters: new Counter({
      name: metricNames.deadLetters,
      help: 'Events or commands set aside after failing, by where they failed',
      labelNames: ['source'] as const,
      registers,
    }),
    llmFailures: new Counter({
      name: metricNames.llmFailures,
      help: 'Failed LLM calls, by provider and reason',
      labelNames: ['provider', 'reason'] as const,
      registers,
    }),
    agentBacklog: new Gauge({
      name: metricNames.agentBacklog,
      help: 'Events the agent has yet to handle (user messages, session starts and ends), counted up to a cap',
      registers,
    }),
    agentLag: new Gauge({
      name: metricNames.agentLag,
      help: 'Age of the oldest event the agent has yet to handle (0 when it is caught up)',
      registers,
    }),
    slackErrors: new Counter({
      name: metricNames.slackErrors,
      help: 'Failed Slack Web API calls, by method and error',
      labelNames: ['method', 'error'] as const,
      registers,
    }),
    eventStoreSubscriptionFailures: new Counter({
      name: metricNames.eventStoreSubscriptionFailures,
      help: 'Failed event store subscriptions: resubscribed (transient) or stopped (the server will refuse again)',
      labelNames: ['outcome'] as const,
      registers,
    }),
  };
};

export type Metrics = ReturnType<typeof createMetrics>;
