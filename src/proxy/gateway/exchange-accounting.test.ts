// An exchange is accounted exactly once however it ends: here, a client that goes away mid-request
// must give its endpoint back to the least-in-flight picker (it used to stay counted forever).
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { silentLogger } from '../../lib/logger.js';
import { freePort } from '../../../test/helpers/free-port.js';
import { GatewayWorker } from './gateway-worker.js';
import { backend, endpoint, rule, send, startUpstream, table, type Upstream } from './gateway-test-kit.fixture.js';

describe('exchange accounting', () => {
  let worker: GatewayWorker | undefined;
  const upstreams: Upstream[] = [];

  afterEach(async () => {
    await worker?.close(100);
    await Promise.all(upstreams.splice(0).map((u) => u.close()));
  });

  it('a client gone mid-request releases its endpoint (least-in-flight)', async () => {
    let hanging = 0;
    // `slow` never answers /hang; `fast` answers everything.
    const slow = await startUpstream('slow', (req, res) => {
      if (req.url === '/hang') hanging++;
      else res.end('slow');
    });
    const fast = await startUpstream('fast', (_req, res) => res.end('fast'));
    upstreams.push(slow, fast);
    worker = new GatewayWorker({ address: '127.0.0.1', logger: silentLogger(), picker: { strategy: 'least-in-flight' } });
    const port = await freePort();
    await worker.applyTable(table(1, port, [rule([backend('default/web', [endpoint(slow.port), endpoint(fast.port)])])]));
    // Requests to /hang until three hang at `slow`; each client then resets its connection (a FIN
    // alone would still wait for the answer: half-open clients are served).
    for (let tries = 0; hanging < 3 && tries < 20; tries++) {
      const before = hanging;
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      const answered = once(socket, 'data').then(() => true);
      socket.write('GET /hang HTTP/1.1\r\nhost: x\r\n\r\n');
      await Promise.race([answered, delay(300)]);
      assert.ok(hanging >= before);
      socket.resetAndDestroy();
      await delay(20);
    }
    assert.equal(hanging, 3);
    await delay(50);
    // Nothing is in flight now, so one request at a time must alternate between the two.
    const seen = new Map<string, number>();
    for (let i = 0; i < 10; i++) {
      const reply = await send(port, { path: '/x' });
      seen.set(reply.body, (seen.get(reply.body) ?? 0) + 1);
    }
    assert.ok((seen.get('slow') ?? 0) >= 3, JSON.stringify(Object.fromEntries(seen)));
    assert.equal(worker.exchangesInFlight, 0);
  });
});
