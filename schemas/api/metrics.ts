/**
 * Prometheus metric names: dashboards and alerts depend on them, so they are defined once here.
 * `read-api/metrics` creates the metrics; the other layers receive them from the composition root.
 */
export const metricNames = {
  httpRequestDuration: 'http_request_duration_seconds',
  cacheRequests: 'cache_requests_total',
  eventsAppended: 'events_appended_total',
  projectionPosition: 'projection_position',
  projectionLag: 'projection_lag_events',
  deadLetters: 'dead_letters_total',
  llmFailures: 'llm_failures_total',
  slackErrors: 'slack_errors_total',
  eventStoreSubscriptionFailures: 'event_store_subscription_failures_total',
  agentBacklog: 'agent_backlog_events',
  agentLag: 'agent_lag_seconds',
  agentQueueLength: 'agent_queue_length',
  agentConversationsInFlight: 'agent_conversations_in_flight',
  agentOldestWaitingAge: 'agent_oldest_waiting_message_age_seconds',
  agentOldestUnansweredAge: 'agent_oldest_unanswered_message_age_seconds',
  agentInsightsPending: 'agent_insights_pending',
  agentPartitionsOwned: 'agent_partitions_owned',
  agentThrottledMessages: 'agent_throttled_messages_total',
  llmCallsInFlight: 'llm_calls_in_flight',
  llmCallsWaiting: 'llm_calls_waiting',
  llmRateLimitPause: 'llm_rate_limit_pause_seconds',
} as const;

export type CacheResult = 'hit' | 'miss' | 'error';
