// What the scheduler thread and its launcher (scheduler-thread.ts) exchange besides the client
// port: the worker's start data, `stop`, and log records. The worker's pino writes each record as
// a JSON line that is posted to the launcher and logged again through the server's own logger, so
// the scheduler's lines reach wherever the server's logs go, with its `component` and timestamps.
import type { MessagePort } from 'node:worker_threads';
import { pino } from 'pino';
import type { Logger, LogLevel } from '../lib/logger.js';

export interface SchedulerThreadData {
  /** The calling end of the client port (a PortClientServer serves the other). */
  readonly port: MessagePort;
  readonly logLevel: LogLevel;
}

/** Launcher -> worker (on the worker's parentPort). */
export interface StopMessage {
  readonly t: 'stop';
}

/** Worker -> launcher. */
export interface LogMessage {
  readonly t: 'log';
  readonly line: string;
}

export function isStopMessage(value: unknown): value is StopMessage {
  return (value as { t?: unknown } | null)?.t === 'stop';
}

export function isLogMessage(value: unknown): value is LogMessage {
  return (value as { t?: unknown } | null)?.t === 'log' && typeof (value as { line?: unknown }).line === 'string';
}

/**
 * The worker's logger: records go to `post` as JSON lines, without pid, hostname or time (the
 * server's logger adds its own when it logs them again).
 */
export function threadLogger(level: LogLevel, post: (line: string) => void): Logger {
  return pino({ level, base: null, timestamp: false }, { write: post });
}

/** Logs a record of the worker's through `logger`, at its level. */
export function relog(logger: Logger, line: string): void {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    logger.warn({ line }, 'unparseable log line from the scheduler thread');
    return;
  }
  const { level, msg, ...fields } = record;
  const label = typeof level === 'number' ? logger.levels.labels[level] : undefined;
  const method = label === 'fatal' || label === 'error' || label === 'warn' || label === 'info' || label === 'debug' || label === 'trace' ? label : 'info';
  logger[method](fields, typeof msg === 'string' ? msg : '');
}
