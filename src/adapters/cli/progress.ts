import cliProgress from 'cli-progress';

/**
 * Progress on stderr for steps that take more than a second, and only when stderr is a terminal
 * (CI logs and pipes stay clean).
 */
export class Progress {
  private bar: cliProgress.SingleBar | undefined;
  private readonly started = Date.now();
  private readonly enabled: boolean;

  constructor(private readonly label: string) {
    this.enabled = Boolean(process.stderr.isTTY) && !process.env.CI;
  }

  update(done: number, total: number, step?: string): void {
    if (!this.enabled) return;
    if (!this.bar) {
      if (Date.now() - this.started < 1000) return;
      this.bar = new cliProgress.SingleBar(
        {
          format: `${this.label} [{bar}] {percentage}% {step}`,
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, done, { step: step ?? '' });
    }
    this.bar.setTotal(total);
    this.bar.update(done, { step: step ?? '' });
  }

  stop(): void {
    this.bar?.stop();
  }
}
