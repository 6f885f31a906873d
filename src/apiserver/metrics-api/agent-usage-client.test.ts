import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Node } from 'kubernetes-types/core/v1.js';
import { agentUsageFetcher, parseUsageReport } from './agent-usage-client.js';

function nodeAt(port: number): Node {
  return { metadata: { name: 'n1' }, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } } };
}

const GOOD = {
  node: { cpuNanoCores: 1, memoryWorkingSetBytes: 2, timestamp: 't', windowSeconds: 10 },
  pods: [{ namespace: 'd', name: 'p', uid: 'u', timestamp: 't', windowSeconds: 10, containers: [{ name: 'c', cpuNanoCores: 3, memoryWorkingSetBytes: 4 }] }],
};

describe('parseUsageReport', () => {
  it('keeps well-formed parts and drops malformed pods', () => {
    const parsed = parseUsageReport({ ...GOOD, pods: [...GOOD.pods, { name: 'no-namespace' }, { ...GOOD.pods[0], containers: [{ name: 'c', cpuNanoCores: -1, memoryWorkingSetBytes: 0 }] }] });
    assert.deepEqual(parsed, GOOD);
    assert.deepEqual(parseUsageReport({ node: { cpuNanoCores: 'x' }, pods: [] }), { pods: [] });
    assert.throws(() => parseUsageReport({ items: [] }), /no pods list/);
  });
});

describe('agentUsageFetcher', () => {
  let server: Server;
  let port: number;
  const seen: { path?: string; auth?: string } = {};
  let answer: { code: number; body: string } = { code: 200, body: JSON.stringify(GOOD) };
  before(async () => {
    server = createServer((req, res) => {
      seen.path = req.url ?? '';
      seen.auth = req.headers.authorization ?? '';
      res.writeHead(answer.code, { 'Content-Type': 'application/json' });
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('GETs /stats/usage at the node address with the token (https falls back to plain http)', async () => {
    answer = { code: 200, body: JSON.stringify(GOOD) };
    const report = await agentUsageFetcher()(nodeAt(port), 'tok', AbortSignal.timeout(5000));
    assert.deepEqual(report, GOOD);
    assert.equal(seen.path, '/stats/usage');
    assert.equal(seen.auth, 'Bearer tok');
  });

  it('rejects on an error answer or a body that is not a report', async () => {
    answer = { code: 401, body: 'Unauthorized' };
    await assert.rejects(agentUsageFetcher({ scheme: 'http' })(nodeAt(port), 'bad', AbortSignal.timeout(5000)), /answered 401/);
    answer = { code: 200, body: 'not json' };
    await assert.rejects(agentUsageFetcher({ scheme: 'http' })(nodeAt(port), 'tok', AbortSignal.timeout(5000)), SyntaxError);
  });
});
