// Finds where a message body ends in a byte stream without copying or decoding it: the proxy
// forwards bodies unchanged (chunked stays chunked), and only needs to know which bytes belong to
// this message and which to the next one on the connection. Chunked framing is tracked by a
// byte-level state machine that skips over chunk data in one step.
import type { BodyMode } from './response-head.js';

const SIZE = 0;
const EXT = 1;
const SIZE_LF = 2;
const DATA = 3;
const DATA_CR = 4;
const DATA_LF = 5;
const TRAILER_START = 6;
const TRAILER_LINE = 7;
const TRAILER_LINE_LF = 8;
const TRAILER_END_LF = 9;
const DONE = 10;
const ERROR = 11;

/** Chunk sizes above this (2^48) are refused rather than risking float imprecision. */
const MAX_SIZE_DIGITS = 12;

function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  if (byte >= 97 && byte <= 102) return byte - 87;
  if (byte >= 65 && byte <= 70) return byte - 55;
  return -1;
}

/** One message body's framing; reusable through reset(). */
export class BodyFramer {
  private mode: BodyMode = 'none';
  private remaining = 0;
  private state = DONE;
  private digits = 0;

  /** Starts a body; for 'length', `length` is the Content-Length. */
  reset(mode: BodyMode, length = 0): void {
    this.mode = mode;
    this.digits = 0;
    if (mode === 'none' || (mode === 'length' && length === 0)) {
      this.state = DONE;
      this.remaining = 0;
    } else if (mode === 'length') {
      this.state = DATA;
      this.remaining = length;
    } else if (mode === 'chunked') {
      this.state = SIZE;
      this.remaining = 0;
    } else {
      this.state = DATA;
      this.remaining = Infinity;
    }
  }

  get done(): boolean {
    return this.state === DONE;
  }

  get failed(): boolean {
    return this.state === ERROR;
  }

  /** The body ends only when the connection closes. */
  get untilClose(): boolean {
    return this.mode === 'close';
  }

  /**
   * How many bytes of buf[start..end) belong to the body. Fewer than offered means the body ended
   * inside the range (`done`) or the framing is broken (`failed`).
   */
  consume(buf: Uint8Array, start: number, end: number): number {
    if (this.mode !== 'chunked') {
      if (this.state !== DATA) return 0;
      const take = Math.min(end - start, this.remaining);
      this.remaining -= take;
      if (this.remaining === 0) this.state = DONE;
      return take;
    }
    let i = start;
    while (i < end) {
      const byte = buf[i] ?? 0;
      switch (this.state) {
        case SIZE: {
          const digit = hexValue(byte);
          if (digit >= 0) {
            if (++this.digits > MAX_SIZE_DIGITS) return this.broken(i, start);
            this.remaining = this.remaining * 16 + digit;
          } else if (this.digits === 0) return this.broken(i, start);
          else if (byte === 13) this.state = SIZE_LF;
          else if (byte === 59 || byte === 32 || byte === 9) this.state = EXT;
          else return this.broken(i, start);
          i++;
          break;
        }
        case EXT:
          if (byte === 13) this.state = SIZE_LF;
          else if (byte === 10) return this.broken(i, start);
          i++;
          break;
        case SIZE_LF:
          if (byte !== 10) return this.broken(i, start);
          this.state = this.remaining === 0 ? TRAILER_START : DATA;
          this.digits = 0;
          i++;
          break;
        case DATA: {
          const take = Math.min(end - i, this.remaining);
          this.remaining -= take;
          i += take;
          if (this.remaining === 0) this.state = DATA_CR;
          break;
        }
        case DATA_CR:
          if (byte !== 13) return this.broken(i, start);
          this.state = DATA_LF;
          i++;
          break;
        case DATA_LF:
          if (byte !== 10) return this.broken(i, start);
          this.state = SIZE;
          i++;
          break;
        case TRAILER_START:
          this.state = byte === 13 ? TRAILER_END_LF : TRAILER_LINE;
          i++;
          break;
        case TRAILER_LINE:
          if (byte === 13) this.state = TRAILER_LINE_LF;
          i++;
          break;
        case TRAILER_LINE_LF:
          if (byte !== 10) return this.broken(i, start);
          this.state = TRAILER_START;
          i++;
          break;
        case TRAILER_END_LF:
          if (byte !== 10) return this.broken(i, start);
          this.state = DONE;
          return i + 1 - start;
        default:
          return i - start;
      }
    }
    return i - start;
  }

  private broken(at: number, start: number): number {
    this.state = ERROR;
    return at - start;
  }
}
