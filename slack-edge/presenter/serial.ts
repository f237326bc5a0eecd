/**
 * Slack calls of one reply, one after another in the order asked, without making the caller
 * wait: the agent keeps writing while Slack is being updated. `idle` waits for what is queued.
 */
export class Serial {
  private chain: Promise<void> = Promise.resolve();

  run(task: () => Promise<void>): void {
    this.chain = this.chain.then(task, task);
  }

  idle(): Promise<void> {
    return this.chain;
  }
}
