/**
 * Argument checks the Web API stub makes the way Slack does: a call Slack would refuse is refused
 * with Slack's error code, so a test cannot pass with blocks, chunks or prompts Slack would reject.
 * Null means the arguments are acceptable.
 */

type Params = Record<string, unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown, max = Number.POSITIVE_INFINITY) =>
  typeof value === 'string' && value.length > 0 && value.length <= max;

/** Block types Slack knows in messages (and Home tabs and modals, which the stub also serves). */
const blockTypes = new Set([
  'actions',
  'context',
  'context_actions',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'plan',
  'rich_text',
  'section',
  'table',
  'task_card',
  'video',
]);

const plainText = (value: unknown, max: number) =>
  isRecord(value) && value.type === 'plain_text' && isText(value.text, max);

const feedbackButton = (value: unknown) =>
  isRecord(value) &&
  plainText(value.text, 75) &&
  isText(value.value, 2000) &&
  (value.accessibility_label === undefined || isText(value.accessibility_label, 75));

const contextActionElement = (element: unknown) => {
  if (!isRecord(element)) return false;
  if (element.type === 'feedback_buttons')
    return feedbackButton(element.positive_button) && feedbackButton(element.negative_button);
  return element.type === 'icon_button' && isText(element.icon) && plainText(element.text, 75);
};

/** `invalid_blocks` for what Slack refuses: an unknown block type, a malformed context_actions block. */
export const checkBlocks = (blocks: unknown): string | null => {
  if (blocks === undefined) return null;
  if (!Array.isArray(blocks) || blocks.length > 50) return 'invalid_blocks';
  for (const block of blocks) {
    if (!isRecord(block) || typeof block.type !== 'string' || !blockTypes.has(block.type))
      return 'invalid_blocks';
    if (block.type === 'context_actions') {
      const elements = block.elements;
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > 5) return 'invalid_blocks';
      if (!elements.every(contextActionElement)) return 'invalid_blocks';
    }
  }
  return null;
};

const taskStatuses = new Set(['pending', 'in_progress', 'complete', 'error']);

const chunkValid = (chunk: unknown): boolean => {
  if (!isRecord(chunk)) return false;
  switch (chunk.type) {
    case 'markdown_text':
      return typeof chunk.text === 'string' && chunk.text.length <= 12_000;
    case 'task_update':
      return (
        isText(chunk.id, 256) &&
        isText(chunk.title, 256) &&
        typeof chunk.status === 'string' &&
        taskStatuses.has(chunk.status) &&
        (chunk.details === undefined || isText(chunk.details, 256)) &&
        (chunk.output === undefined || isText(chunk.output, 256))
      );
    case 'plan_update':
      return isText(chunk.title, 256);
    case 'blocks':
      return Array.isArray(chunk.blocks) && checkBlocks(chunk.blocks) === null;
    default:
      return false;
  }
};

/**
 * `invalid_chunks` for a chunk of an unknown type or shape, or of a type this workspace does not
 * take (`refused`: a workspace without thinking steps).
 */
export const checkChunks = (chunks: unknown, refused: ReadonlySet<string>): string | null => {
  if (chunks === undefined) return null;
  if (!Array.isArray(chunks)) return 'invalid_chunks';
  for (const chunk of chunks) {
    if (!chunkValid(chunk)) return 'invalid_chunks';
    if (refused.has((chunk as { type: string }).type)) return 'invalid_chunks';
  }
  return null;
};

const taskDisplayModes = new Set(['timeline', 'plan', 'dense']);

/** The arguments of one Web API method, checked like Slack; null when they are acceptable. */
export const checkArguments = (method: string, p: Params, refusedChunks: ReadonlySet<string>) => {
  switch (method) {
    case 'chat.postMessage':
    case 'chat.update':
      if (!isText(p.channel)) return 'channel_not_found';
      if (p.text === undefined && p.blocks === undefined) return 'no_text';
      return checkBlocks(p.blocks);
    case 'chat.startStream':
      if (!isText(p.channel)) return 'channel_not_found';
      if (!isText(p.thread_ts)) return 'invalid_arguments';
      if (p.task_display_mode !== undefined && !taskDisplayModes.has(String(p.task_display_mode)))
        return 'invalid_arguments';
      return checkChunks(p.chunks, refusedChunks);
    case 'chat.appendStream':
      if (!isText(p.channel) || !isText(p.ts)) return 'invalid_arguments';
      if (p.markdown_text === undefined && p.chunks === undefined) return 'invalid_arguments';
      return checkChunks(p.chunks, refusedChunks);
    case 'chat.stopStream':
      if (!isText(p.channel) || !isText(p.ts)) return 'invalid_arguments';
      return checkChunks(p.chunks, refusedChunks) ?? checkBlocks(p.blocks);
    case 'assistant.threads.setStatus': {
      if (!isText(p.channel_id) || !isText(p.thread_ts)) return 'invalid_arguments';
      if (typeof p.status !== 'string') return 'invalid_arguments';
      const loading = p.loading_messages;
      if (
        loading !== undefined &&
        (!Array.isArray(loading) || loading.length > 10 || !loading.every((m) => isText(m, 1000)))
      )
        return 'invalid_arguments';
      return null;
    }
    case 'assistant.threads.setSuggestedPrompts': {
      if (!isText(p.channel_id)) return 'invalid_arguments';
      if (p.thread_ts !== undefined && !isText(p.thread_ts)) return 'invalid_arguments';
      if (p.title !== undefined && typeof p.title !== 'string') return 'invalid_arguments';
      const prompts = p.prompts;
      if (!Array.isArray(prompts) || prompts.length === 0 || prompts.length > 4) return 'invalid_arguments';
      if (!prompts.every((q) => isRecord(q) && isText(q.title) && isText(q.message)))
        return 'invalid_arguments';
      return null;
    }
    case 'assistant.threads.setTitle':
      if (!isText(p.channel_id) || !isText(p.thread_ts) || !isText(p.title)) return 'invalid_arguments';
      return null;
    default:
      return null;
  }
};
