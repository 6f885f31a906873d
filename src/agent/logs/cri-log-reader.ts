// Reads a container's CRI-format log file (`<RFC3339Nano> <stdout|stderr> <P|F> <content>`) the
// way kubelet serves `kubectl logs`: partial (P) records are joined with the next full (F) one into
// one line, then sinceTime / tailLines / limitBytes / timestamps apply, and with follow the file is
// tailed until the container has exited (and its last bytes are read) or the request ends. A
// follow is woken by the file's changes (file-change-wait.ts) and asks whether the container still
// runs every pollMs.
import { open, type FileHandle } from 'node:fs/promises';
import { FileChangeWait } from './file-change-wait.js';

export interface LogReadOptions {
  readonly follow?: boolean;
  /** The last N lines only (applied to what exists when the request starts). */
  readonly tailLines?: number;
  /** Only lines at or after this time. */
  readonly sinceTime?: Date;
  /** Stop after this many bytes of output (a line may be cut). */
  readonly limitBytes?: number;
  /** Prefix each line with its RFC3339Nano timestamp (9 fraction digits) and a space. */
  readonly timestamps?: boolean;
}

export interface CriLogRecord {
  /** As written, e.g. `2016-10-06T00:17:09.669794202Z` (the fraction has 0-9 digits). */
  readonly time: string;
  readonly stream: 'stdout' | 'stderr';
  readonly partial: boolean;
  readonly content: string;
}

/** One record; undefined for a malformed line (skipped, as kubelet does). */
export function parseCriLine(line: string): CriLogRecord | undefined {
  const first = line.indexOf(' ');
  const second = line.indexOf(' ', first + 1);
  if (first < 0 || second < 0) return undefined;
  const stream = line.slice(first + 1, second);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  // Old CRI logs have no tag; the tag is `P` or `F` (possibly with more flags after a colon).
  const third = line.indexOf(' ', second + 1);
  const tag = third < 0 ? line.slice(second + 1) : line.slice(second + 1, third);
  const tagged = tag === 'P' || tag === 'F' || tag.startsWith('P:') || tag.startsWith('F:');
  const content = tagged ? (third < 0 ? '' : line.slice(third + 1)) : line.slice(second + 1);
  return { time: line.slice(0, first), stream, partial: tagged && tag.startsWith('P'), content };
}

/** `2016-10-06T00:17:09.6697Z` -> `2016-10-06T00:17:09.669700000Z` (kubelet's RFC3339NanoFixed). */
export function fixedNanoTimestamp(time: string): string {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(time);
  if (!match) return time;
  return `${match[1] ?? ''}.${(match[2] ?? '').padEnd(9, '0')}Z`;
}

/** Milliseconds since the epoch (sub-ms digits are compared separately where it matters). */
function timeMs(time: string): number {
  return Date.parse(time);
}

interface LogLine {
  readonly time: string;
  /** Content including its `\n`, or without one for a trailing partial line. */
  readonly text: string;
}

/** Joins records into lines; keeps an unfinished partial sequence for later. */
class LineAssembler {
  #pendingTime: string | undefined;
  #pending = '';

  push(record: CriLogRecord): LogLine | undefined {
    this.#pendingTime ??= record.time;
    this.#pending += record.content;
    if (record.partial) return undefined;
    const line = { time: this.#pendingTime, text: `${this.#pending}\n` };
    this.#pendingTime = undefined;
    this.#pending = '';
    return line;
  }

  /** A partial line the container never finished (it exited mid-line). */
  flush(): LogLine | undefined {
    if (this.#pendingTime === undefined) return undefined;
    const line = { time: this.#pendingTime, text: this.#pending };
    this.#pendingTime = undefined;
    this.#pending = '';
    return line;
  }
}

export interface FollowControl {
  /** Whether the container may still write (follow stops once this is false and the file is drained). */
  readonly isRunning: () => boolean | Promise<boolean>;
  readonly signal?: AbortSignal;
  /** How often a followed file is checked for growth. */
  readonly pollMs?: number;
}

/**
 * The log as output chunks. Without follow it ends at the end of the file; with follow it keeps
 * reading until control.isRunning() is false (and everything written was read) or the signal aborts.
 */
export async function* readCriLog(path: string, options: LogReadOptions, control?: FollowControl): AsyncGenerator<string> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  let remaining = options.limitBytes ?? Infinity;
  const sinceMs = options.sinceTime?.getTime();
  const render = (line: LogLine): string | undefined => {
    if (sinceMs !== undefined && timeMs(line.time) < sinceMs) return undefined;
    const text = options.timestamps ? `${fixedNanoTimestamp(line.time)} ${line.text}` : line.text;
    return text;
  };
  const limit = (text: string): string => {
    if (remaining === Infinity) return text;
    const bytes = Buffer.from(text);
    const cut = bytes.subarray(0, remaining).toString('utf8');
    remaining -= Math.min(bytes.length, remaining);
    return cut;
  };

  let changes: FileChangeWait | undefined;
  try {
    const assembler = new LineAssembler();
    let offset = 0;
    let carry = '';
    /** Reads what the file has beyond offset; returns the complete lines found. */
    const readMore = async (): Promise<LogLine[]> => {
      const lines: LogLine[] = [];
      for (;;) {
        const buffer = Buffer.alloc(64 * 1024);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
        carry += buffer.subarray(0, bytesRead).toString('utf8');
        const parts = carry.split('\n');
        carry = parts.pop() ?? '';
        for (const part of parts) {
          const record = parseCriLine(part);
          if (!record) continue;
          const line = assembler.push(record);
          if (line) lines.push(line);
        }
      }
      return lines;
    };

    // What exists now: tailLines applies here only.
    const initial = await readMore();
    const running = control ? await control.isRunning() : false;
    const follow = options.follow === true && control !== undefined;
    if (!(follow && running)) {
      const last = assembler.flush();
      if (last) initial.push(last);
    }
    const tail = options.tailLines !== undefined ? initial.slice(Math.max(0, initial.length - options.tailLines)) : initial;
    for (const line of tail) {
      const text = render(line);
      if (text === undefined) continue;
      yield limit(text);
      if (remaining <= 0) return;
    }
    if (!follow || !running) return;

    const pollMs = control.pollMs ?? 100;
    changes = new FileChangeWait(path);
    // Whether the container runs is asked every pollMs, not on every write: a chatty container
    // would otherwise cost a status check per line.
    let checkedAt = Date.now();
    let stillRunning = true;
    for (;;) {
      if (control.signal?.aborted) return;
      if (Date.now() - checkedAt >= pollMs) {
        stillRunning = await control.isRunning();
        checkedAt = Date.now();
      }
      const lines = await readMore();
      if (!stillRunning) {
        const last = assembler.flush();
        if (last) lines.push(last);
      }
      for (const line of lines) {
        const text = render(line);
        if (text === undefined) continue;
        yield limit(text);
        if (remaining <= 0) return;
      }
      if (!stillRunning) return;
      try {
        await changes.wait(Math.max(0, pollMs - (Date.now() - checkedAt)), control.signal);
      } catch {
        return;
      }
    }
  } finally {
    changes?.close();
    await handle.close();
  }
}
