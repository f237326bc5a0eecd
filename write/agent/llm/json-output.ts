import { type FinishReason, LlmError } from './port.ts';

/**
 * A JSON answer cut off by max tokens, or prose instead of JSON, is the model's failure, not the
 * transport's: 'invalid_output', which the caller may handle by re-asking with a different prompt.
 */
export const checkJsonOutput = (text: string, finishReason: FinishReason, provider: string): string => {
  if (finishReason === 'length')
    throw new LlmError('invalid_output', `${provider}: JSON answer cut off at the max tokens limit`);
  try {
    JSON.parse(text);
  } catch (cause) {
    throw new LlmError(
      'invalid_output',
      `${provider}: expected a JSON answer, got ${JSON.stringify(text.slice(0, 80))}`,
      {
        cause,
      },
    );
  }
  return text;
};
