import { createHash } from 'node:crypto';
import type { ChatRequest } from '../llm/port.ts';

/**
 * sha256 (hex) of exactly what decides a model's answer: the system prompt, the messages, the
 * output schema and the model parameters. The same hash means the same question to the same
 * model, so a score can be traced and asked again. `hints` (read by the mock only) and the
 * abort signal are left out.
 */
export const promptHash = (request: ChatRequest, model: { provider: string; model: string }): string =>
  createHash('sha256')
    .update(
      JSON.stringify({
        provider: model.provider,
        model: model.model,
        system: request.system,
        messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
        json: request.json ?? null,
        temperature: request.temperature ?? null,
        maxTokens: request.maxTokens ?? null,
      }),
    )
    .digest('hex');
