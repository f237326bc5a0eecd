import { toStreamMarkdownLine } from '../text/mrkdwn.ts';

/** Where a sentence ends: Japanese full stops, or Latin punctuation before a space. */
const sentenceEnd = /[。！？]|[.!?](?=\s)/g;

/** A span is safe to convert on its own when it opens no emphasis or code it does not close. */
const balanced = (text: string) =>
  (text.match(/\*/g)?.length ?? 0) % 2 === 0 && (text.match(/`/g)?.length ?? 0) % 2 === 0;

/**
 * Turns the model's deltas into Markdown for the streaming methods. Emphasis never spans lines,
 * so complete lines are handed out at once; within a long line (Japanese paragraphs rarely break),
 * text up to the last sentence end goes out too when it holds no half-open emphasis or code.
 * `source` is how much of the model's text has been handed out.
 */
export class StreamLines {
  private pending = '';
  private consumed = 0;

  /** The text the deltas so far complete (converted); '' while nothing is complete. */
  push(delta: string): string {
    this.pending += delta;
    const cut = this.cutPoint();
    if (cut <= 0) return '';
    const ready = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    this.consumed += ready.length;
    return ready.split('\n').map(toStreamMarkdownLine).join('\n');
  }

  /** What is left (an unterminated line), converted. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    this.consumed += rest.length;
    return toStreamMarkdownLine(rest);
  }

  /** Characters of the model's text handed out so far. */
  get source(): number {
    return this.consumed;
  }

  private cutPoint(): number {
    const lineEnd = this.pending.lastIndexOf('\n') + 1;
    const tail = this.pending.slice(lineEnd);
    let sentence = 0;
    for (const match of tail.matchAll(sentenceEnd)) {
      const end = match.index + match[0].length;
      if (balanced(tail.slice(0, end))) sentence = end;
    }
    return lineEnd + sentence;
  }
}
