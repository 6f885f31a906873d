import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { freePort } from '../../../test/helpers/free-port.js';
import { silentLogger } from '../../lib/logger.js';
import { HealthCheckServers, healthCheckBody, healthCheckTargets } from './health-check-servers.js';
import { ep, slice, svc } from './proxy-test-objects.fixture.js';
import { groupSlicesByService } from './service-port-plan.js';

const ports = [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' as const }];

describe('health check node ports', () => {
  it('targets: LoadBalancer + Local with a port; counts ready endpoints on this node, by IP', () => {
    const services = [
      svc('web', { type: 'LoadBalancer', ports, externalTrafficPolicy: 'Local', healthCheckNodePort: 30090 }),
      svc('cluster', { type: 'LoadBalancer', ports, externalTrafficPolicy: 'Cluster', healthCheckNodePort: 30091 }),
      svc('nodeport', { type: 'NodePort', ports, externalTrafficPolicy: 'Local' }),
    ];
    const slices = [
      slice('web', [
        ep('10.88.1.2', undefined, 'node-a'), ep('10.88.1.3', undefined, 'node-b'),
        ep('10.88.1.4', { ready: false, serving: true, terminating: true }, 'node-a'),
      ]),
      slice('web', [ep('10.88.1.2', undefined, 'node-a')], { name: 'web-other-port', portName: 'metrics', port: 9090 }),
    ];
    assert.deepEqual(healthCheckTargets(services, groupSlicesByService(slices), 'node-a'), [{ namespace: 'default', name: 'web', port: 30090, localEndpoints: 1 }]);
    assert.equal(healthCheckTargets(services, groupSlicesByService(slices), 'node-c')[0]?.localEndpoints, 0);
  });

  it('body: kube-proxy\'s JSON layout', () => {
    const body = healthCheckBody({ namespace: 'default', name: 'web', port: 1, localEndpoints: 2 }, true);
    assert.deepEqual(JSON.parse(body), { service: { namespace: 'default', name: 'web' }, localEndpoints: 2, serviceProxyHealthy: true });
    assert.equal(body.split('\n')[1], '\t"service": {');
  });

  describe('servers', () => {
    const servers = new HealthCheckServers({ address: '127.0.0.1', logger: silentLogger() });
    after(() => servers.close());

    it('200 with local endpoints, 503 without, any path; closed when the Service stops needing it', async () => {
      const port = await freePort();
      await servers.sync([{ namespace: 'default', name: 'web', port, localEndpoints: 1 }]);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('content-type'), 'application/json');
      assert.equal(ok.headers.get('x-load-balancing-endpoint-weight'), '1');
      assert.equal((await ok.json() as { localEndpoints: number }).localEndpoints, 1);
      await servers.sync([{ namespace: 'default', name: 'web', port, localEndpoints: 0 }]);
      const none = await fetch(`http://127.0.0.1:${port}/anything`);
      assert.equal(none.status, 503);
      assert.equal((await none.json() as { localEndpoints: number }).localEndpoints, 0);
      assert.deepEqual(servers.ports, [port]);
      await servers.sync([]);
      assert.deepEqual(servers.ports, []);
      await assert.rejects(fetch(`http://127.0.0.1:${port}/`));
    });

    it('503 with local endpoints while the proxy itself is unhealthy; serviceProxyHealthy says so', async () => {
      let proxyHealthy = false;
      const guarded = new HealthCheckServers({ address: '127.0.0.1', logger: silentLogger(), isProxyHealthy: () => proxyHealthy });
      try {
        const port = await freePort();
        await guarded.sync([{ namespace: 'default', name: 'web', port, localEndpoints: 2 }]);
        const sick = await fetch(`http://127.0.0.1:${port}/`);
        assert.equal(sick.status, 503);
        assert.deepEqual(await sick.json(), { service: { namespace: 'default', name: 'web' }, localEndpoints: 2, serviceProxyHealthy: false });
        proxyHealthy = true;
        const well = await fetch(`http://127.0.0.1:${port}/`);
        assert.equal(well.status, 200);
        assert.equal((await well.json() as { serviceProxyHealthy: boolean }).serviceProxyHealthy, true);
      } finally {
        await guarded.close();
      }
    });

    it('a port that cannot be opened is skipped (and retried on the next sync), not fatal', async () => {
      const taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const address = taken.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      await servers.sync([{ namespace: 'default', name: 'web', port, localEndpoints: 1 }]);
      assert.deepEqual(servers.ports, []);
      await new Promise<void>((resolve) => taken.close(() => resolve()));
      await servers.sync([{ namespace: 'default', name: 'web', port, localEndpoints: 1 }]);
      assert.deepEqual(servers.ports, [port]);
      await servers.sync([]);
    });
  });
});
