import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

/**
 * Nest's logger interface over pino, so framework messages and ours share one
 * JSON stream. Secrets never reach it: callers log mirror ids, not URLs with
 * credentials, and never tokens.
 */
export class PinoNestLogger implements LoggerService {
  constructor(readonly pinoLogger: Logger) {}

  static create(level: string): PinoNestLogger {
    return new PinoNestLogger(pino({ level, base: { service: 'mirrorwatch' }, redact: ['req.headers.authorization'] }));
  }

  log(message: unknown, ...context: unknown[]): void {
    this.write('info', message, context);
  }
  error(message: unknown, ...context: unknown[]): void {
    this.write('error', message, context);
  }
  warn(message: unknown, ...context: unknown[]): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, ...context: unknown[]): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, ...context: unknown[]): void {
    this.write('trace', message, context);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, context: unknown[]): void {
    // Nest passes the context name as the last string argument.
    const last = context.at(-1);
    const contextName = typeof last === 'string' ? last : undefined;
    if (message instanceof Error) {
      this.pinoLogger[level]({ context: contextName, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pinoLogger[level]({ context: contextName, ...message });
    } else {
      this.pinoLogger[level]({ context: contextName }, String(message));
    }
  }
}
