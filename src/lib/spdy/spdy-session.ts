// A SPDY/3.1 session over any Duplex (a socket after an HTTP upgrade, or a WebSocket tunnel), in
// the client or the server role: what kubectl, kubelet and containerd's streaming server speak for
// port-forward (and exec/attach before WebSockets).
//
//   const session = new SpdySession({ transport: socket, role: 'client' });
//   const stream = session.openStream({ streamtype: 'data', port: '80', requestid: '0' });
//   stream.write(bytes); stream.end();          // DATA frames, then FIN
//   stream.on('data', ...)                       // the peer's DATA; 'end' at its FIN
//   await stream.waitReply();                    // the peer's SYN_REPLY headers
//   new SpdySession({ transport, role: 'server', onStream: (stream) => ... })  // peer-opened streams
//   await session.ping(); session.close();      // GOAWAY, then end of the transport
//
// Peer-opened streams are answered with an empty SYN_REPLY at once (what kubelet does before any
// data flows). Pings from the peer are echoed.
//
// Flow control: this side announces its stream window in a SETTINGS frame and sends
// WINDOW_UPDATE as its readers consume (stream level) and as frames arrive (session level), so a
// flow-controlling peer never stalls. It honours the peer's windows only once the peer has shown
// it does flow control (a SETTINGS initial window or any WINDOW_UPDATE): Go's spdystream (kubectl,
// kubelet, containerd) never sends WINDOW_UPDATE, and honouring a window it never refills would
// stall every transfer after 64 KiB. Inbound windows are not enforced.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger.js';
import { HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from './header-block.js';
import {
  DEFAULT_WINDOW,
  encodeFrame,
  GOAWAY_OK,
  GOAWAY_PROTOCOL_ERROR,
  RST_INVALID_STREAM,
  RST_PROTOCOL_ERROR,
  RST_REFUSED_STREAM,
  SETTINGS_INITIAL_WINDOW_SIZE,
  SpdyFrameParser,
  SpdyProtocolError,
  type SpdyFrame,
} from './spdy-frames.js';
import { SpdyStream, type SpdyStreamHost } from './spdy-stream.js';

export type SpdyRole = 'client' | 'server';

export interface SpdySessionOptions {
  /** The connection, after any HTTP upgrade; the session owns it from now on. */
  readonly transport: Duplex;
  /** Clients open odd-numbered streams and pings, servers even-numbered ones. */
  readonly role: SpdyRole;
  /** Called for every stream the peer opens; without it such streams are refused. */
  readonly onStream?: (stream: SpdyStream) => void;
  /** The per-stream window announced to the peer. Default 256 KiB. */
  readonly receiveWindow?: number;
  readonly logger?: Logger;
}

const DEFAULT_RECEIVE_WINDOW = 256 * 1024;

export class SpdySession extends EventEmitter implements SpdyStreamHost {
  readonly role: SpdyRole;
  readonly #transport: Duplex;
  readonly #onStream: ((stream: SpdyStream) => void) | undefined;
  readonly #logger: Logger | undefined;
  readonly #parser = new SpdyFrameParser();
  readonly #compressor = new HeaderCompressor();
  readonly #decompressor = new HeaderDecompressor();
  readonly #streams = new Map<number, SpdyStream>();
  readonly #receiveWindow: number;
  readonly #pings = new Map<number, () => void>();
  #nextStreamId: number;
  #nextPingId: number;
  #lastPeerStreamId = 0;
  #peerInitialWindow = DEFAULT_WINDOW;
  #sessionSendWindow = DEFAULT_WINDOW;
  #sessionUnacked = 0;
  #enforcesPeerWindow = false;
  #windowWaiters: (() => void)[] = [];
  #writeTail: Promise<void> = Promise.resolve();
  #readTail: Promise<void> = Promise.resolve();
  #closed = false;
  #goingAway = false;
  readonly #closedPromise: Promise<void>;
  #resolveClosed: () => void = () => undefined;

  constructor(options: SpdySessionOptions) {
    super();
    this.role = options.role;
    this.#transport = options.transport;
    this.#onStream = options.onStream;
    this.#logger = options.logger;
    this.#receiveWindow = options.receiveWindow ?? DEFAULT_RECEIVE_WINDOW;
    this.#nextStreamId = options.role === 'client' ? 1 : 2;
    this.#nextPingId = options.role === 'client' ? 1 : 2;
    this.#closedPromise = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.#transport.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.#transport.on('end', () => this.#teardown());
    this.#transport.on('close', () => this.#teardown());
    this.#transport.on('error', (error: Error) => {
      this.#logger?.debug({ err: error }, 'spdy transport error');
      this.#teardown();
    });
    this.#enqueue(() => encodeFrame({ type: 'settings', clear: false, entries: [{ id: SETTINGS_INITIAL_WINDOW_SIZE, flags: 0, value: this.#receiveWindow }] })).catch(
      () => undefined,
    );
  }

  /** Resolves once the transport is gone and every stream ended. */
  get closed(): Promise<void> {
    return this.#closedPromise;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  get enforcesPeerWindow(): boolean {
    return this.#enforcesPeerWindow;
  }

  get sessionSendWindow(): number {
    return this.#sessionSendWindow;
  }

  /** Opens a stream (SYN_STREAM with these headers; names are sent lower case). */
  openStream(headers: SpdyHeaders, options: { readonly fin?: boolean; readonly priority?: number } = {}): SpdyStream {
    if (this.#closed || this.#goingAway) throw new Error('SPDY session is closed');
    const id = this.#nextStreamId;
    this.#nextStreamId += 2;
    const stream = new SpdyStream({ id, headers, host: this, sendWindow: this.#peerInitialWindow, receiveWindow: this.#receiveWindow });
    this.#streams.set(id, stream);
    const fin = options.fin === true;
    this.#enqueue(async () =>
      encodeFrame({ type: 'syn_stream', streamId: id, associatedId: 0, priority: options.priority ?? 0, fin, unidirectional: false, headerBlock: await this.#compressor.compress(headers) }),
    ).catch(() => undefined);
    if (fin) stream.end();
    return stream;
  }

  /** Sends a PING; resolves when the peer echoes it (rejects if the session closes first). */
  ping(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('SPDY session is closed'));
    const id = this.#nextPingId;
    this.#nextPingId = (this.#nextPingId + 2) >>> 0;
    const echoed = new Promise<void>((resolve) => this.#pings.set(id, resolve));
    this.#enqueue(() => encodeFrame({ type: 'ping', id })).catch(() => undefined);
    return Promise.race([echoed, this.#closedPromise.then(() => Promise.reject(new Error('SPDY session closed before the ping was answered')))]);
  }

  /** GOAWAY, then ends the transport once everything queued is written. */
  close(): void {
    if (this.#closed || this.#goingAway) return;
    this.#goingAway = true;
    this.#enqueue(() => encodeFrame({ type: 'goaway', lastGoodStreamId: this.#lastPeerStreamId, status: GOAWAY_OK }))
      .then(() => this.#transport.end())
      .catch(() => undefined);
  }

  /** Cuts the transport at once; every open stream is destroyed. */
  destroy(): void {
    this.#transport.destroy();
    this.#teardown();
  }

  // ---- SpdyStreamHost ----

  sendData(streamId: number, data: Buffer, fin: boolean): Promise<void> {
    this.#sessionSendWindow -= data.length;
    return this.#enqueue(() => encodeFrame({ type: 'data', streamId, fin, data }));
  }

  sendReset(streamId: number, status: number): void {
    this.#enqueue(() => encodeFrame({ type: 'rst_stream', streamId, status })).catch(() => undefined);
  }

  sendWindowUpdate(streamId: number, delta: number): void {
    this.#enqueue(() => encodeFrame({ type: 'window_update', streamId, delta })).catch(() => undefined);
  }

  windowChanged(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => this.#windowWaiters.push(resolve));
  }

  forget(streamId: number): void {
    this.#streams.delete(streamId);
  }

  // ---- internals ----

  /**
   * Writes frames strictly in order (header compression state depends on it). Resolves once the
   * frame is handed to the transport and the transport is not over its buffer limit.
   */
  #enqueue(build: () => Buffer | Promise<Buffer>): Promise<void> {
    const step = this.#writeTail.then(async () => {
      if (this.#closed) throw new Error('SPDY session is closed');
      const frame = await build();
      if (this.#transport.write(frame)) return;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.#transport.off('drain', done);
          this.#transport.off('close', done);
          resolve();
        };
        this.#transport.on('drain', done);
        this.#transport.on('close', done);
      });
    });
    this.#writeTail = step.catch(() => undefined);
    return step;
  }

  #receive(chunk: Buffer): void {
    let frames: SpdyFrame[];
    try {
      frames = this.#parser.push(chunk);
    } catch (error) {
      this.#fail(error);
      return;
    }
    for (const frame of frames) {
      this.#readTail = this.#readTail.then(() => this.#handle(frame)).catch((error: unknown) => this.#fail(error));
    }
  }

  async #handle(frame: SpdyFrame): Promise<void> {
    if (this.#closed) return;
    switch (frame.type) {
      case 'data': {
        this.#sessionUnacked += frame.data.length;
        if (this.#sessionUnacked >= DEFAULT_WINDOW / 2) {
          this.sendWindowUpdate(0, this.#sessionUnacked);
          this.#sessionUnacked = 0;
        }
        const stream = this.#streams.get(frame.streamId);
        if (stream) stream.receiveData(frame.data, frame.fin);
        else if (frame.streamId !== 0 && !frame.fin) this.sendReset(frame.streamId, RST_INVALID_STREAM);
        return;
      }
      case 'syn_stream': {
        // Decompress even a refused stream's headers: the zlib state must follow every block.
        const headers = await this.#decompressor.decompress(frame.headerBlock);
        this.#acceptStream(frame.streamId, headers, frame.fin);
        return;
      }
      case 'syn_reply': {
        const headers = await this.#decompressor.decompress(frame.headerBlock);
        const stream = this.#streams.get(frame.streamId);
        stream?.receiveReply(headers);
        if (frame.fin) stream?.receiveFin();
        return;
      }
      case 'headers': {
        await this.#decompressor.decompress(frame.headerBlock);
        if (frame.fin) this.#streams.get(frame.streamId)?.receiveFin();
        return;
      }
      case 'rst_stream':
        this.#streams.get(frame.streamId)?.receiveReset(frame.status);
        return;
      case 'settings':
        for (const entry of frame.entries) {
          if (entry.id !== SETTINGS_INITIAL_WINDOW_SIZE) continue;
          const delta = entry.value - this.#peerInitialWindow;
          this.#peerInitialWindow = entry.value;
          for (const stream of this.#streams.values()) stream.adjustSendWindow(delta);
          this.#enforcesPeerWindow = true;
          this.#wakeWindowWaiters();
        }
        return;
      case 'window_update':
        if (frame.streamId === 0) this.#sessionSendWindow += frame.delta;
        else this.#streams.get(frame.streamId)?.adjustSendWindow(frame.delta);
        this.#enforcesPeerWindow = true;
        this.#wakeWindowWaiters();
        return;
      case 'ping': {
        const ours = (frame.id % 2 === 1) === (this.role === 'client');
        if (ours) {
          this.#pings.get(frame.id)?.();
          this.#pings.delete(frame.id);
        } else {
          this.#enqueue(() => encodeFrame({ type: 'ping', id: frame.id })).catch(() => undefined);
        }
        return;
      }
      case 'goaway':
        // The peer opens nothing more; streams already open finish normally.
        this.#goingAway = true;
        return;
      case 'unknown':
        return;
    }
  }

  #acceptStream(id: number, headers: SpdyHeaders, fin: boolean): void {
    const peerParity = this.role === 'client' ? 0 : 1;
    if (id === 0 || id % 2 !== peerParity || id <= this.#lastPeerStreamId) {
      this.sendReset(id, RST_PROTOCOL_ERROR);
      return;
    }
    this.#lastPeerStreamId = id;
    if (!this.#onStream || this.#goingAway) {
      this.sendReset(id, RST_REFUSED_STREAM);
      return;
    }
    const stream = new SpdyStream({ id, headers, host: this, sendWindow: this.#peerInitialWindow, receiveWindow: this.#receiveWindow });
    this.#streams.set(id, stream);
    this.#enqueue(async () => encodeFrame({ type: 'syn_reply', streamId: id, fin: false, headerBlock: await this.#compressor.compress({}) })).catch(() => undefined);
    if (fin) stream.receiveFin();
    this.#onStream(stream);
  }

  #wakeWindowWaiters(): void {
    for (const wake of this.#windowWaiters.splice(0)) wake();
  }

  #fail(error: unknown): void {
    if (this.#closed) return;
    this.#logger?.debug({ err: error }, 'spdy session failed');
    if (error instanceof SpdyProtocolError) {
      this.#enqueue(() => encodeFrame({ type: 'goaway', lastGoodStreamId: this.#lastPeerStreamId, status: GOAWAY_PROTOCOL_ERROR }))
        .then(() => this.#transport.end())
        .catch(() => undefined);
      setImmediate(() => this.destroy());
      return;
    }
    this.destroy();
  }

  #teardown(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stream of [...this.#streams.values()]) stream.abort();
    this.#streams.clear();
    this.#wakeWindowWaiters();
    this.#compressor.close();
    this.#decompressor.close();
    if (!this.#transport.destroyed) this.#transport.destroy();
    this.#resolveClosed();
    this.emit('close');
  }
}
