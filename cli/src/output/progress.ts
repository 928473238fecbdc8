/**
 * Progress for long work: a bar with rate and ETA on a terminal, a plain line every few
 * seconds otherwise (logs, CI). Writes to stderr so stdout stays clean for --json.
 */
export class Progress {
  private readonly started = Date.now();
  private lastPlain = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit = 'rows',
    private readonly silent = false,
  ) {}

  update(done: number, note = ''): void {
    if (this.silent) return;
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const left = rate > 0 ? Math.max(0, (this.total - done) / rate) : Number.NaN;
    const pct = this.total > 0 ? Math.min(1, done / this.total) : 0;
    const figures = `${fmt(done)}/${fmt(this.total)} ${this.unit}  ${fmt(rate)}/s  ETA ${Number.isFinite(left) ? `${left.toFixed(0)}s` : '?'}${note ? `  ${note}` : ''}`;
    if (this.tty) {
      const width = 28;
      const bar = '█'.repeat(Math.round(pct * width)).padEnd(width, '░');
      process.stderr.write(
        `\r${this.label} ${bar} ${(pct * 100).toFixed(0).padStart(3)}%  ${figures}\u001b[K`,
      );
    } else if (Date.now() - this.lastPlain > 2000 || done >= this.total) {
      this.lastPlain = Date.now();
      process.stderr.write(`${this.label}: ${(pct * 100).toFixed(0)}% ${figures}\n`);
    }
  }

  done(note = ''): void {
    if (this.silent) return;
    const seconds = (Date.now() - this.started) / 1000;
    if (this.tty) process.stderr.write('\n');
    process.stderr.write(`${this.label}: done in ${seconds.toFixed(1)} s${note ? ` — ${note}` : ''}\n`);
  }
}

function fmt(n: number): string {
  if (n > 0 && n < 10) return n.toFixed(1);
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}
