// One SPDY stream as a node Duplex. Writing sends DATA frames (cut to the peer's windows when the
// peer does flow control); end() sends an empty DATA frame with FIN; the peer's FIN ends the
// readable side. reset() (or destroy() before both sides finished) sends RST_STREAM. A reset by the
// peer destroys the stream WITHOUT an error (so a forgotten 'error' listener cannot crash the
// process) and records `resetStatus`; pipeline() still reports it as a premature close.
import { Duplex } from 'node:stream';
import type { SpdyHeaders } from './header-block.js';
import { DEFAULT_WINDOW, RST_CANCEL } from './spdy-frames.js';

/** Largest DATA payload this side sends in one frame (keeps frames well inside any window). */
const MAX_DATA_FRAME = 16 * 1024;

/** What a stream needs from its session (implemented by SpdySession). */
export interface SpdyStreamHost {
  /** Whether the peer has shown it does flow control (see SpdySession). */
  readonly enforcesPeerWindow: boolean;
  readonly sessionSendWindow: number;
  /** Sends a DATA frame; resolves once written (and the transport drained). */
  sendData(streamId: number, data: Buffer, fin: boolean): Promise<void>;
  sendReset(streamId: number, status: number): void;
  sendWindowUpdate(streamId: number, delta: number): void;
  /** Resolves at the next window change or when the session closes. */
  windowChanged(): Promise<void>;
  /** The stream is finished (both sides closed, or reset): forget it. */
  forget(streamId: number): void;
}

export class SpdyStream extends Duplex {
  readonly id: number;
  /** The SYN_STREAM headers (the peer's for peer-opened streams, ours for openStream()). */
  readonly headers: SpdyHeaders;
  /** Set when the peer reset the stream (RST_STREAM status code). */
  resetStatus: number | undefined;
  /** The peer's SYN_REPLY headers once it answered (streams this side opened). */
  replyHeaders: SpdyHeaders | undefined;

  readonly #host: SpdyStreamHost;
  #sendWindow: number;
  readonly #receiveWindow: number;
  #unacked = 0;
  #holdingAcks = false;
  #localClosed = false;
  #remoteClosed = false;
  #reset = false;
  readonly #replyWaiters: { resolve: (headers: SpdyHeaders) => void; reject: (error: Error) => void }[] = [];

  constructor(options: { id: number; headers: SpdyHeaders; host: SpdyStreamHost; sendWindow: number; receiveWindow?: number }) {
    super({ allowHalfOpen: true });
    this.id = options.id;
    this.headers = options.headers;
    this.#host = options.host;
    this.#sendWindow = options.sendWindow;
    this.#receiveWindow = options.receiveWindow ?? DEFAULT_WINDOW;
  }

  /** Resolves with the peer's SYN_REPLY headers; rejects if the stream ends without one. */
  waitReply(): Promise<SpdyHeaders> {
    if (this.replyHeaders) return Promise.resolve(this.replyHeaders);
    if (this.#reset || this.destroyed) return Promise.reject(new Error(`SPDY stream ${this.id} closed before its reply`));
    return new Promise((resolve, reject) => this.#replyWaiters.push({ resolve, reject }));
  }

  /** Abandons the stream: RST_STREAM with `status` (default CANCEL), then destroy. */
  reset(status: number = RST_CANCEL): void {
    if (!this.#reset && !(this.#localClosed && this.#remoteClosed)) this.#host.sendReset(this.id, status);
    this.#reset = true;
    this.destroy();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // After a reset or a closed session the error is moot: the stream is already destroyed.
    this.#send(chunk).then(() => callback(), (error: Error) => callback(this.destroyed ? null : error));
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.#reset) {
      callback();
      return;
    }
    this.#localClosed = true;
    this.#host.sendData(this.id, Buffer.alloc(0), true).then(() => {
      this.#finishIfDone();
      callback();
    }, (error: Error) => callback(this.destroyed ? null : error));
  }

  override _read(): void {
    if (this.#holdingAcks) {
      this.#holdingAcks = false;
      this.#ack(true);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#reset && !(this.#localClosed && this.#remoteClosed)) {
      this.#reset = true;
      this.#host.sendReset(this.id, RST_CANCEL);
    }
    this.#reset = true;
    this.#rejectReplyWaiters();
    this.#host.forget(this.id);
    callback(error);
  }

  async #send(chunk: Buffer): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#reset || this.destroyed) return; // The peer went away: drop what is left.
      let allowed = Math.min(MAX_DATA_FRAME, chunk.length - offset);
      if (this.#host.enforcesPeerWindow) allowed = Math.min(allowed, this.#sendWindow, this.#host.sessionSendWindow);
      if (allowed <= 0) {
        await this.#host.windowChanged();
        continue;
      }
      const piece = chunk.subarray(offset, offset + allowed);
      this.#sendWindow -= piece.length;
      offset += piece.length;
      await this.#host.sendData(this.id, piece, false);
    }
  }

  /** Sends WINDOW_UPDATE for consumed bytes once half the window is owed (or `force`). */
  #ack(force: boolean): void {
    if (this.#unacked === 0 || this.#remoteClosed || this.#reset) return;
    if (!force && this.#unacked < this.#receiveWindow / 2) return;
    this.#host.sendWindowUpdate(this.id, this.#unacked);
    this.#unacked = 0;
  }

  #finishIfDone(): void {
    if (this.#localClosed && this.#remoteClosed) this.#host.forget(this.id);
  }

  #rejectReplyWaiters(): void {
    for (const waiter of this.#replyWaiters.splice(0)) waiter.reject(new Error(`SPDY stream ${this.id} closed before its reply`));
  }

  // ---- called by the session for frames from the peer ----

  /** @internal DATA from the peer. */
  receiveData(data: Buffer, fin: boolean): void {
    if (this.#reset || this.#remoteClosed) return;
    if (data.length > 0) {
      this.#unacked += data.length;
      if (this.push(data)) this.#ack(false);
      else this.#holdingAcks = true;
    }
    if (fin) this.receiveFin();
  }

  /** @internal FIN from the peer (DATA, SYN_STREAM, SYN_REPLY or HEADERS flag). */
  receiveFin(): void {
    if (this.#remoteClosed || this.#reset) return;
    this.#remoteClosed = true;
    this.push(null);
    this.#finishIfDone();
  }

  /** @internal SYN_REPLY from the peer. */
  receiveReply(headers: SpdyHeaders): void {
    this.replyHeaders = headers;
    for (const waiter of this.#replyWaiters.splice(0)) waiter.resolve(headers);
  }

  /** @internal RST_STREAM from the peer. */
  receiveReset(status: number): void {
    this.resetStatus = status;
    this.#reset = true;
    this.destroy();
  }

  /** @internal WINDOW_UPDATE for this stream, or a SETTINGS change of the initial window. */
  adjustSendWindow(delta: number): void {
    this.#sendWindow += delta;
  }

  /** @internal The session is gone: end as a reset (nothing more can be sent or received). */
  abort(): void {
    this.#reset = true;
    this.destroy();
  }
}
