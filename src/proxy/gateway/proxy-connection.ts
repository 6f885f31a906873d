// One client connection of the gateway, the class the worker creates per accepted socket. Its
// behaviour is layered: ClientConnection (client-connection.ts) reads requests and streams their
// bodies, UpstreamExchange (upstream-exchange.ts) routes each one and runs its upstream attempts,
// retries, timeouts and local answers; this last layer relays the upstream's response to the client:
// it parses the response head, forwards the bytes as they are when it can (else rebuilds the head),
// frames the body to find the end of the exchange, and applies backpressure in both directions.
// A 101 answer to an upgrade request turns the connection into a tunnel: the same relay then
// carries every byte both ways (the response as a body that ends when the upstream closes, the
// client's bytes as a request body that never ends) until either side closes.
import { performance } from 'node:perf_hooks';
import { buildClientHead, buildSwitchHead, canForwardRawResponse } from './header-rewrite.js';
import { decodeResponseHeaders, parseResponseHead, type ResponseHead } from './response-head.js';
import { UpstreamExchange } from './upstream-exchange.js';
import type { UpstreamConnection } from './upstream-pool.js';

export class ProxyConnection extends UpstreamExchange {
  override onUpstreamData(conn: UpstreamConnection, chunk: Buffer): void {
    if (conn !== this.upstream || this.closed) return;
    this.gotResponseByte = true;
    this.moved = true;
    if (this.resHead !== undefined) {
      this.forwardResponseBody(chunk, 0);
      return;
    }
    const buf = this.resBuf === undefined ? chunk : Buffer.concat([this.resBuf, chunk]);
    this.resBuf = undefined;
    const head = this.head;
    if (head === undefined) return;
    let offset = 0;
    for (;;) {
      const result = parseResponseHead(buf, offset, head.method);
      if (result.kind === 'incomplete') {
        // Keep a copy: `chunk` is a view of the upstream connection's reusable read buffer.
        this.resBuf = Buffer.from(offset === 0 ? buf : buf.subarray(offset));
        return;
      }
      if (result.kind === 'error') {
        this.upstreamFailed(502, 'invalid response from upstream\n');
        return;
      }
      const res = result.head;
      if (res.status >= 100 && res.status < 200) {
        if (res.status === 101) {
          // Only an upgrade request carries Upgrade upstream; for any other, a switch is an error.
          if (this.upgrading) this.switchProtocols(res, buf, offset);
          else this.upstreamFailed(502, 'unexpected protocol switch\n');
          return;
        }
        if (head.httpMinor === 1) this.writeBorrowed(buf.subarray(offset, offset + res.headBytes));
        offset += res.headBytes;
        continue;
      }
      this.startResponse(res, buf, offset);
      return;
    }
  }

  private startResponse(res: ResponseHead, buf: Buffer, offset: number): void {
    const head = this.head;
    if (head === undefined) return;
    this.resHead = res;
    this.status = res.status;
    this.resStarted = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    // An upgrade attempt's connection is not pooled: the upstream may still treat it as switching.
    this.reuseUpstream = res.keepAlive && head.httpMinor === 1 && !this.upgrading;
    if (res.bodyMode === 'close' || this.clientEnded) this.closeAfter = true;
    const modifier = this.found?.rule.responseHeaders;
    this.resFramer.reset(res.bodyMode, res.contentLength);
    const bodyStart = offset + res.headBytes;
    if (canForwardRawResponse(res, modifier, head.httpMinor, this.closeAfter)) {
      // The common case: the upstream's bytes go to the client as they are, often in one write.
      const taken = this.resFramer.consume(buf, bodyStart, buf.length);
      const end = bodyStart + taken;
      const ok = this.writeBorrowed(offset === 0 && end === buf.length ? buf : buf.subarray(offset, end));
      this.afterResponseBytes(ok, end < buf.length);
      return;
    }
    this.socket.write(buildClientHead(decodeResponseHeaders(buf, offset, res), modifier, head.httpMinor, this.closeAfter), 'latin1');
    this.forwardResponseBody(buf, bodyStart);
  }

  /** The upstream accepted the upgrade: relay the 101, account the exchange, join the two sockets. */
  private switchProtocols(res: ResponseHead, buf: Buffer, offset: number): void {
    this.resHead = res;
    this.status = 101;
    this.resStarted = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.reuseUpstream = false;
    // The upstream's bytes after the 101 belong to the new protocol: they end when it closes.
    this.resFramer.reset('close');
    const modifier = this.found?.rule.responseHeaders;
    const bodyStart = offset + res.headBytes;
    if (modifier === undefined) this.writeBorrowed(buf.subarray(offset, bodyStart));
    else this.socket.write(buildSwitchHead(decodeResponseHeaders(buf, offset, res), modifier), 'latin1');
    this.accountExchange(performance.now());
    this.startTunnel();
    if (!this.closed) this.forwardResponseBody(buf, bodyStart);
  }

  private forwardResponseBody(buf: Buffer, start: number): void {
    if (start >= buf.length) {
      this.afterResponseBytes(true, false);
      return;
    }
    const taken = this.resFramer.consume(buf, start, buf.length);
    const end = start + taken;
    const ok = taken === 0 ? true : this.writeBorrowed(start === 0 && end === buf.length ? buf : buf.subarray(start, end));
    this.afterResponseBytes(ok, end < buf.length);
  }

  /**
   * Writes bytes that live in the upstream connection's read buffer. A write that did not complete
   * at once still points into that buffer, so the connection must read into a new one.
   */
  private writeBorrowed(bytes: Buffer): boolean {
    const ok = this.socket.write(bytes);
    if (this.socket.writableLength > 0) this.upstream?.lend();
    return ok;
  }

  private afterResponseBytes(written: boolean, extraBytes: boolean): void {
    if (this.resFramer.failed) {
      this.abort();
      return;
    }
    // Bytes after the response end: the upstream is confused; never reuse that connection.
    if (extraBytes) this.reuseUpstream = false;
    if (this.resFramer.done) this.finishExchange();
    else if (!written) this.upstream?.socket.pause();
  }

  /** The client took the response bytes it had queued: let the upstream connection read again. */
  protected override onClientDrain(): void {
    if (this.upstream && this.resStarted) this.upstream.socket.resume();
  }
}
