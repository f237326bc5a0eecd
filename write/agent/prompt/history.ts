import type { ChatMessage } from '../llm/port.ts';
import { estimateTokens, messageOverheadTokens, truncateToTokens } from './tokens.ts';

export type TrimmedHistory = {
  messages: ChatMessage[];
  /** How many messages between the first and the kept recent ones were left out. */
  dropped: number;
};

const cost = (message: ChatMessage) => estimateTokens(message.content) + messageOverheadTokens;

/**
 * The session's conversation, fitted to `budget` tokens. The last message (the one being
 * answered) is always kept, shortened if it alone is over budget; then the session's first user
 * message (it usually states the deal and the goal); then the newest messages that still fit.
 * The result alternates user / assistant and starts with the user, as the providers expect:
 * neighbours of the same role (a message that got no reply, a gap left by trimming) are merged.
 */
export const trimHistory = (session: readonly ChatMessage[], budget: number): TrimmedHistory => {
  if (session.length === 0) return { messages: [], dropped: 0 };
  const lastIndex = session.length - 1;
  const last = session[lastIndex]!;
  const keptLast: ChatMessage =
    cost(last) > budget
      ? { ...last, content: truncateToTokens(last.content, Math.max(1, budget - messageOverheadTokens)) }
      : last;
  let remaining = budget - cost(keptLast);

  const firstUser = session.findIndex((m) => m.role === 'user');
  const keepFirst = firstUser >= 0 && firstUser < lastIndex && cost(session[firstUser]!) <= remaining;
  if (keepFirst) remaining -= cost(session[firstUser]!);

  let start = lastIndex;
  while (start - 1 > (keepFirst ? firstUser : -1) && cost(session[start - 1]!) <= remaining) {
    remaining -= cost(session[start - 1]!);
    start--;
  }
  const recent = [...session.slice(start, lastIndex), keptLast];
  const kept = keepFirst ? [session[firstUser]!, ...recent] : recent;
  const dropped = session.length - kept.length;
  return { messages: alternate(kept), dropped };
};

/** Merges neighbours of the same role and drops leading assistant messages. */
export const alternate = (messages: readonly ChatMessage[]): ChatMessage[] => {
  const out: ChatMessage[] = [];
  for (const message of messages) {
    if (out.length === 0 && message.role === 'assistant') continue;
    const previous = out.at(-1);
    if (previous && previous.role === message.role) {
      out[out.length - 1] = { role: message.role, content: `${previous.content}\n\n${message.content}` };
    } else out.push({ role: message.role, content: message.content });
  }
  return out;
};
