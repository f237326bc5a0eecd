import type { RunnerState } from '../../../projections/runner/status.ts';
import type { GateFigures } from '../../../write/agent/llm/gate.ts';
import type { AgentBacklog } from '../../../write/agent/ports.ts';

/** What the background thread tells the thread that serves HTTP. */
export type FromBackground =
  | { kind: 'ready' }
  | { kind: 'failed'; message: string }
  | { kind: 'bump'; scope: string }
  | { kind: 'count'; metric: 'deadLetters'; labels: { source: string }; value: number }
  | { kind: 'count'; metric: 'slackErrors'; labels: { method: string; error: string }; value: number }
  | { kind: 'subscriptionFailure'; outcome: string }
  | { kind: 'llmFailure'; provider: string; reason: string }
  | { kind: 'agentStatus'; status: string; backlog: AgentBacklog | null; llm: GateFigures }
  | { kind: 'throttled' }
  | { kind: 'runners'; states: { name: string; status: RunnerState['status']; lastError: string | null }[] }
  | { kind: 'stopped' };

/** What the serving thread tells the background thread. */
export type ToBackground = { kind: 'stop' };

/** Given to the background thread at its start. */
export type BackgroundData = {
  /** The database the serving thread opened (the embedded one's URL when DATABASE_URL is unset). */
  databaseUrl: string;
};
