import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { metricNames } from '../../schemas/api/metrics.ts';

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
  return {
    registry,
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
