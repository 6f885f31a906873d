// A watch keeps writing while its socket's pending writes are below its own send buffer, not
// Node's 16 KiB high-water mark: a TLS socket's writes complete on a later event loop turn, so
// stopping at 16 KiB held a busy server's watchers to a few events per turn (watch-stream.ts).
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { ApiMetrics } from '../metrics/api-metrics.js';
import type { ResourceRegistry, WatchEvent } from '../registry/registry-types.js';
import { WatchEventEncoder } from './watch-event-encoder.js';
import { WatchStreams } from './watch-stream.js';

/** A response whose writes are all still pending (write() says "wait for drain") until drain(). */
class PendingWritesResponse extends EventEmitter {
  readonly lines: string[] = [];
  writableLength = 0;
  headersSent = false;
  writableEnded = false;
  writeHead(): this {
    this.headersSent = true;
    return this;
  }
  flushHeaders(): void {}
  write(line: string): boolean {
    this.lines.push(line);
    this.writableLength += Buffer.byteLength(line);
    return false;
  }
  drain(): void {
    this.writableLength = 0;
    this.emit('drain');
  }
  end(): void {
    this.writableEnded = true;
  }
}

/** A registry whose watch yields `count` ADDED events of ~1 KiB, then waits for the abort. */
function registryOf(count: number): ResourceRegistry {
  const padding = 'x'.repeat(1000);
  return {
    strategy: { info: { resource: 'widgets' } },
    watch: (_namespace: string | undefined, query: { signal: AbortSignal }) => ({
      async *[Symbol.asyncIterator](): AsyncGenerator<WatchEvent> {
        for (let i = 0; i < count; i++) {
          yield { type: 'ADDED', object: { apiVersion: 'v1', kind: 'Widget', metadata: { name: `w${i}`, annotations: { padding } } } };
        }
        await new Promise((resolve) => query.signal.addEventListener('abort', resolve, { once: true }));
      },
    }),
  } as unknown as ResourceRegistry;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
}

void describe('watch send buffer', () => {
  void it('writes far past 16 KiB of pending writes without waiting for drain, and stops at its own limit', async () => {
    const streams = new WatchStreams({ encoder: new WatchEventEncoder(), metrics: new ApiMetrics(), clock: new FakeClock(), logger: silentLogger() });
    const res = new PendingWritesResponse();
    const req = new EventEmitter() as unknown as IncomingMessage;
    const serving = streams.serve({
      req, res: res as unknown as ServerResponse, registry: registryOf(3000), namespace: undefined, query: {}, representation: { as: 'object' },
    });
    await settle();
    const beforeDrain = res.lines.length;
    res.drain();
    await settle();
    const afterDrain = res.lines.length;
    streams.closeAll();
    assert.equal(await serving, 200);
    // ~1 KiB per line: the whole 1 MiB budget goes out before the stream waits (not 16 lines).
    assert.ok(beforeDrain > 900, `wrote ${beforeDrain} lines before waiting`);
    assert.ok(beforeDrain < 1100, `wrote ${beforeDrain} lines: no limit`);
    assert.ok(afterDrain > 1800, 'a drain lets it go on');
  });
});
