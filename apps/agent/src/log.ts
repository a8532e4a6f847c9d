/** One JSON object per line on stdout (stderr for errors), like the server's pino lines, so one log pipeline reads both. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
  error(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevel): Logger {
  const write =
    (at: LogLevel) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (ORDER[at] > ORDER[level]) return;
      const line = `${JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...fields })}\n`;
      (at === 'error' ? process.stderr : process.stdout).write(line);
    };
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug') };
}
