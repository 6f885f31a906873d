import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../lib/logger.js';
import { LogServer } from '../logs/log-server.js';
import type { UsageReport } from './usage-report.js';
import { usageRoute } from './usage-route.js';

const REPORT: UsageReport = {
  node: { cpuNanoCores: 5e8, memoryWorkingSetBytes: 1 << 30, timestamp: '2025-01-01T00:00:10.000Z', windowSeconds: 10 },
  pods: [{ namespace: 'default', name: 'web', uid: 'u1', timestamp: '2025-01-01T00:00:10.000Z', windowSeconds: 10, containers: [{ name: 'web', cpuNanoCores: 1e6, memoryWorkingSetBytes: 4096 }] }],
};

describe('GET /stats/usage on the agent server', () => {
  let server: LogServer;
  let base: string;
  before(async () => {
    server = new LogServer({
      routes: [usageRoute({ report: () => Promise.resolve(REPORT) })],
      port: 0, address: '127.0.0.1', token: 't0k', logger: silentLogger(),
      resolvePod: () => Promise.resolve(undefined),
    });
    base = `http://127.0.0.1:${await server.start()}`;
  });
  after(async () => {
    await server.close();
  });

  it('answers the sampler report as JSON', async () => {
    const res = await fetch(`${base}/stats/usage`, { headers: { Authorization: 'Bearer t0k' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(await res.json(), REPORT);
  });

  it('needs the token and a GET, and leaves other paths alone', async () => {
    assert.equal((await fetch(`${base}/stats/usage`)).status, 401);
    assert.equal((await fetch(`${base}/stats/usage`, { method: 'POST', headers: { Authorization: 'Bearer t0k' } })).status, 405);
    assert.equal((await fetch(`${base}/stats/other`, { headers: { Authorization: 'Bearer t0k' } })).status, 404);
  });
});
