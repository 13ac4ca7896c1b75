// A small logger: one line per event on stderr, so that stdout carries only what a command prints.

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function line(level: string, message: string, fields?: Record<string, unknown>): string {
  const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
  return `${new Date().toISOString()} edgestats-agent ${level}: ${message}${extra}\n`;
}

/** Writes one line per event with `write` (the CLI passes its stderr). */
export function writerLogger(write: (text: string) => void): Logger {
  return {
    info: (m, f) => write(line("info", m, f)),
    warn: (m, f) => write(line("warn", m, f)),
    error: (m, f) => write(line("error", m, f)),
  };
}

export const stderrLogger: Logger = writerLogger((text) => process.stderr.write(text));

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Collects log lines in memory (tests, and hosts that forward them to their own logs). */
export function memoryLogger(): Logger & { lines: { level: string; message: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  return {
    lines,
    info: (message, fields) => lines.push({ level: "info", message, fields }),
    warn: (message, fields) => lines.push({ level: "warn", message, fields }),
    error: (message, fields) => lines.push({ level: "error", message, fields }),
  };
}
