// Structured logging (DESIGN.md): pino, a constant message with data in fields, one child logger
// per component. The root logger is built once in cmd/ and passed down.
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

export type Logger = PinoLogger;

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * The root logger. Logs go to stderr by default so that a command's stdout stays machine-readable
 * (`k8ts server` prints the `export KUBECONFIG=...` line there).
 */
export function createLogger(options: { level: LogLevel; destination?: DestinationStream }): Logger {
  return pino({ level: options.level }, options.destination ?? pino.destination({ fd: 2, sync: true }));
}

/** A logger for one component: every line carries `component`. */
export function componentLogger(parent: Logger, component: string): Logger {
  return parent.child({ component });
}

/** Discards everything; for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
