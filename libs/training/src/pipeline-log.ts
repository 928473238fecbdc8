/** ml_pipeline.log in the study's format: `2026-11-25 11:30:00,123 - INFO - message`. */
export class PipelineLog {
  private readonly lines: string[] = [];

  info(message: string, at = Date.now()): this {
    return this.add('INFO', message, at);
  }

  warning(message: string, at = Date.now()): this {
    return this.add('WARNING', message, at);
  }

  private add(level: string, message: string, at: number): this {
    const iso = new Date(at).toISOString();
    this.lines.push(`${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)} - ${level} - ${message}`);
    return this;
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}
