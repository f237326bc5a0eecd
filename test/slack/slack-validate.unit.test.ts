import { describe, expect, it } from 'vitest';
import { titleFrom } from '../../slack-edge/listeners/assistant/suggestions.ts';
import { checkArguments, checkBlocks, checkChunks } from '../stubs/slack-validate.ts';

const none = new Set<string>();
const feedback = {
  type: 'context_actions',
  elements: [
    {
      type: 'feedback_buttons',
      action_id: 'reply_feedback',
      positive_button: { text: { type: 'plain_text', text: '👍' }, value: 'up' },
      negative_button: { text: { type: 'plain_text', text: '👎' }, value: 'down' },
    },
  ],
};

describe('the Web API stub refuses what Slack refuses', () => {
  it('blocks: unknown types and malformed feedback buttons are invalid_blocks', () => {
    expect(checkBlocks([feedback, { type: 'section', text: { type: 'mrkdwn', text: 'x' } }])).toBeNull();
    expect(checkBlocks([{ type: 'carousel' }])).toBe('invalid_blocks');
    expect(checkBlocks([{ ...feedback, elements: [{ type: 'button' }] }])).toBe('invalid_blocks');
    const noValue = structuredClone(feedback);
    delete (noValue.elements[0]!.negative_button as { value?: string }).value;
    expect(checkBlocks([noValue])).toBe('invalid_blocks');
  });

  it('chunks: unknown types, bad task shapes and refused types are invalid_chunks', () => {
    const task = { type: 'task_update', id: 'knowledge', title: 'Searching', status: 'in_progress' };
    expect(checkChunks([{ type: 'markdown_text', text: 'a' }, task], none)).toBeNull();
    expect(checkChunks([{ type: 'thought', text: 'a' }], none)).toBe('invalid_chunks');
    expect(checkChunks([{ ...task, status: 'running' }], none)).toBe('invalid_chunks');
    expect(checkChunks([{ ...task, id: '' }], none)).toBe('invalid_chunks');
    expect(checkChunks([task], new Set(['task_update']))).toBe('invalid_chunks');
  });

  it('assistant methods: prompts 1–4 with title and message, a title, a status string', () => {
    const prompt = { title: 't', message: 'm' };
    expect(
      checkArguments('assistant.threads.setSuggestedPrompts', { channel_id: 'D1', prompts: [prompt] }, none),
    ).toBeNull();
    expect(
      checkArguments(
        'assistant.threads.setSuggestedPrompts',
        { channel_id: 'D1', prompts: Array(5).fill(prompt) },
        none,
      ),
    ).toBe('invalid_arguments');
    expect(
      checkArguments('assistant.threads.setTitle', { channel_id: 'D1', thread_ts: '1.2', title: '' }, none),
    ).toBe('invalid_arguments');
    expect(
      checkArguments('assistant.threads.setStatus', { channel_id: 'D1', thread_ts: '1.2', status: '' }, none),
    ).toBeNull();
    expect(
      checkArguments(
        'chat.startStream',
        { channel: 'D1', thread_ts: '1.2', task_display_mode: 'list' },
        none,
      ),
    ).toBe('invalid_arguments');
  });
});

describe('the assistant thread title', () => {
  it('is the first non-empty line of the rep’s message, shortened', () => {
    expect(titleFrom('\n価格が高いと言われました。\nどう返せば？')).toBe('価格が高いと言われました。');
    const long = titleFrom('a'.repeat(100));
    expect(long).toHaveLength(60);
    expect(long.endsWith('…')).toBe(true);
  });
});
