import type pg from 'pg';
import type { Rubric } from '../../schemas/rubrics.ts';
import { estimateTokens, messageOverheadTokens } from '../../write/agent/prompt/tokens.ts';
import { rescoreRequest } from '../../write/agent/rescore.ts';
import type { PersonalText } from '../../write/crypto/personal-text.ts';
import { costOf, priceOf } from './prices.ts';
import { type PlannedSession, withTranscript } from './sessions.ts';

/** What one insight's answer costs about (five short lists and a summary, as JSON). */
export const outputTokensPerSession = 600;

export type RescoreEstimate = {
  sessions: number;
  inputTokens: number;
  outputTokens: number;
  /** US dollars; null when the model's price is unknown. */
  cost: number | null;
};

/** Tokens of the very requests the run will send (the same prompt builder), and their price. */
export const estimateRescore = async (
  deps: { pool: pg.Pool; personal: PersonalText; provider: string; model: string },
  sessions: readonly PlannedSession[],
  rubric: Rubric,
): Promise<RescoreEstimate> => {
  let inputTokens = 0;
  for (const planned of sessions) {
    const request = rescoreRequest(await withTranscript(deps.pool, deps.personal, planned), rubric);
    inputTokens +=
      estimateTokens(request.system) +
      estimateTokens(JSON.stringify(request.json?.schema ?? {})) +
      request.messages.reduce((n, m) => n + messageOverheadTokens + estimateTokens(m.content), 0);
  }
  const outputTokens = sessions.length * outputTokensPerSession;
  const price = priceOf(deps.provider, deps.model);
  return {
    sessions: sessions.length,
    inputTokens,
    outputTokens,
    cost: price ? costOf(price, { input: inputTokens, output: outputTokens }) : null,
  };
};

export const estimateText = (e: RescoreEstimate, provider: string, model: string): string =>
  [
    `sessions to score: ${e.sessions}`,
    `estimated tokens:  ${e.inputTokens} in + ${e.outputTokens} out (about; no tokenizer is used)`,
    `estimated cost:    ${
      e.cost === null
        ? `unknown (no price for ${provider} ${model})`
        : `$${e.cost.toFixed(e.cost < 1 ? 4 : 2)} (${provider} ${model}, list prices; an estimate)`
    }`,
  ].join('\n');
