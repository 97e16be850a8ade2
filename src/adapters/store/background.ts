/**
 * Work a connection goes on with after it has answered (an import's listing and visit rows, batch-rows.ts).
 * Closing the connection stops it between its steps and waits for the step under way, so a clean
 * stop leaves no transaction open; what a stop or a crash leaves undone is taken up again at the
 * next start.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<unknown>>();
  private readonly controller = new AbortController();

  /** Runs `work`, which looks at the signal between its steps. */
  run<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const done = work(this.controller.signal);
    this.running.add(done);
    const forget = (): void => void this.running.delete(done);
    done.then(forget, forget);
    return done;
  }

  /** Asks the work to stop and waits for it (its failures are its callers' to see). */
  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.allSettled([...this.running]);
  }
}
