import type { Messages } from '../../text/messages.ts';

/**
 * The suggested prompts of the assistant pane and the Messages tab: starting points into the
 * coach's features (roleplay, objection handling, knowledge search, the rep's growth).
 */
export const suggestionsFor = (t: Messages) => ({
  title: t.suggestedTitle,
  prompts: t.suggestedPrompts.map((p) => ({ title: p.title, message: p.message })),
});

/** A thread's title from the rep's first message: its first line, shortened. */
export const titleFrom = (text: string, max = 60): string => {
  const line = (text.split('\n').find((l) => l.trim() !== '') ?? text).trim().replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};
