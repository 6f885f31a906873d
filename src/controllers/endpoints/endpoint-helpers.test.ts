import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { SERVICES } from '../../client/resource-types.js';
import type { ServiceObject } from './endpoint-object-types.js';
import { truncateSubsets } from './endpoints-capacity.js';
import { pod, service } from './endpoint-test-objects.fixture.js';
import { findPort } from './pod-endpoint-rules.js';
import { repackSubsets } from './repack-subsets.js';
import { servicesToUpdateOnPodChange } from './service-membership.js';
import { formatRfc3339Nano, TriggerTimeTracker } from './trigger-time-tracker.js';

const addr = (ip: string) => ({ ip, targetRef: { kind: 'Pod', name: ip, uid: ip } });
const http = { name: 'http', port: 80, protocol: 'TCP' };
const metrics = { name: 'metrics', port: 9090, protocol: 'TCP' };

describe('repackSubsets', () => {
  it('groups ports served by the same addresses (the worked example)', () => {
    const out = repackSubsets([
      { addresses: [addr('10.0.0.1')], ports: [http] },
      { notReadyAddresses: [addr('10.0.0.2')], ports: [http] },
      { addresses: [addr('10.0.0.1')], ports: [metrics] },
    ]);
    assert.deepEqual(out, [
      { addresses: [addr('10.0.0.1')], notReadyAddresses: [addr('10.0.0.2')], ports: [http] },
      { addresses: [addr('10.0.0.1')], ports: [metrics] },
    ]);
  });

  it('merges ports with identical address sets, sorts addresses, ready wins over not ready', () => {
    const out = repackSubsets([
      { addresses: [addr('10.0.0.9')], ports: [metrics] },
      { addresses: [addr('10.0.0.2')], ports: [metrics] },
      { notReadyAddresses: [addr('10.0.0.9')], ports: [http] },
      { addresses: [addr('10.0.0.9')], ports: [http] },
      { addresses: [addr('10.0.0.2')], ports: [http] },
    ]);
    assert.deepEqual(out, [{ addresses: [addr('10.0.0.2'), addr('10.0.0.9')], ports: [http, metrics] }]);
  });

  it('keeps addresses without ports', () => {
    assert.deepEqual(repackSubsets([{ addresses: [addr('10.0.0.1')], ports: [] }]), [{ addresses: [addr('10.0.0.1')] }]);
  });
});

describe('truncateSubsets', () => {
  it('cuts not-ready addresses in proportion when the ready ones fit (the worked example)', () => {
    const many = (n: number, base: string) => Array.from({ length: n }, (_, i) => addr(`${base}.${i}`));
    const out = truncateSubsets([
      { addresses: many(990, '10.0.0'), notReadyAddresses: many(15, '10.1.0'), ports: [http] },
      { notReadyAddresses: many(5, '10.2.0'), ports: [metrics] },
    ]);
    assert.deepEqual(out?.map((s) => [(s.addresses ?? []).length, (s.notReadyAddresses ?? []).length]), [[990, 8], [0, 2]]);
    assert.equal(truncateSubsets([{ addresses: many(3, '10.0.0') }]), undefined);
  });
});

describe('findPort', () => {
  it('numeric as is, named by name and protocol, sidecar ports too', () => {
    const p: Pod = {
      spec: {
        containers: [{ name: 'c', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'web', containerPort: 8080 }] }],
        initContainers: [{ name: 's', restartPolicy: 'Always', ports: [{ name: 'side', containerPort: 7000 }] }],
      },
    };
    assert.equal(findPort(p, { port: 80, targetPort: 9000 }), 9000);
    assert.equal(findPort(p, { port: 80 }), 80);
    assert.equal(findPort(p, { port: 80, targetPort: 'web' }), 8080);
    assert.equal(findPort(p, { port: 53, targetPort: 'dns' }), undefined, 'TCP service port, UDP container port');
    assert.equal(findPort(p, { port: 53, targetPort: 'dns', protocol: 'UDP' }), 53);
    assert.equal(findPort(p, { port: 1, targetPort: 'side' }), 7000);
    assert.equal(findPort(p, { port: 1, targetPort: 'nope' }), undefined);
  });
});

describe('TriggerTimeTracker', () => {
  it('first sync: service creation; then the earliest changed pod time; then none', () => {
    const tracker = new TriggerTimeTracker();
    const svc: ServiceObject = { ...service('web'), metadata: { name: 'web', namespace: 'default', creationTimestamp: '2025-01-01T10:00:00Z' } };
    const a = pod('a', { readySince: '2025-01-01T10:00:05Z' });
    const b = pod('b', { readySince: '2025-01-01T10:00:07Z' });
    const sync = (pods: Pod[]) => {
      const change = tracker.compute(svc, pods);
      change.commit();
      return change.time?.toISOString();
    };
    assert.equal(sync([a, b]), '2025-01-01T10:00:00.000Z');
    const bUnready = pod('b', { ready: false, readySince: '2025-01-01T10:01:00Z' });
    assert.equal(sync([a, bUnready]), '2025-01-01T10:01:00.000Z');
    assert.equal(sync([a, bUnready]), undefined);
    tracker.deleteService('default', 'web');
    assert.equal(sync([a]), '2025-01-01T10:00:00.000Z');
  });

  it('a sync that is not committed (its write failed) leaves the change for the retry', () => {
    const tracker = new TriggerTimeTracker();
    const svc: ServiceObject = { ...service('web'), metadata: { name: 'web', namespace: 'default', creationTimestamp: '2025-01-01T10:00:00Z' } };
    const a = pod('a', { readySince: '2025-01-01T10:00:05Z' });
    tracker.compute(svc, [a]).commit();
    const b = pod('b', { readySince: '2025-01-01T10:00:07Z' });
    assert.equal(tracker.compute(svc, [a, b]).time?.toISOString(), '2025-01-01T10:00:07.000Z', 'the failed try');
    const retry = tracker.compute(svc, [a, b]);
    assert.equal(retry.time?.toISOString(), '2025-01-01T10:00:07.000Z', 'the retry still publishes b');
    retry.commit();
    assert.equal(tracker.compute(svc, [a, b]).time, undefined);
  });

  it('formats like Go RFC3339Nano', () => {
    assert.equal(formatRfc3339Nano(new Date('2025-01-01T00:00:00.000Z')), '2025-01-01T00:00:00Z');
    assert.equal(formatRfc3339Nano(new Date('2025-01-01T00:00:00.500Z')), '2025-01-01T00:00:00.5Z');
    assert.equal(formatRfc3339Nano(new Date('2025-01-01T00:00:00.123Z')), '2025-01-01T00:00:00.123Z');
  });
});

describe('servicesToUpdateOnPodChange', () => {
  it('resync and irrelevant changes: none; readiness: current services; label move: symmetric difference', async () => {
    const clients = new FakeClientSet();
    clients.seed(SERVICES,
      service('web', { selector: { app: 'web' } }),
      service('api', { selector: { app: 'api' } }),
      service('tier', { selector: { tier: 'x' } }),
      service('manual', { selector: undefined }),
    );
    const services = await new SnapshotLister(clients.resource<ServiceObject>(SERVICES)).sync();
    const base = pod('p', { labels: { app: 'web', tier: 'x' } });
    const v = (p: Pod, rv: string): Pod => ({ ...p, metadata: { ...p.metadata, resourceVersion: rv } });
    const keys = (o: Pod, n: Pod) => [...servicesToUpdateOnPodChange(services, o, n)].sort();
    assert.deepEqual(keys(v(base, '1'), v(base, '1')), []);
    assert.deepEqual(keys(v(base, '1'), v({ ...base, metadata: { ...base.metadata, annotations: { a: 'b' } } }, '2')), []);
    assert.deepEqual(keys(v(base, '1'), v(pod('p', { labels: { app: 'web', tier: 'x' }, ready: false }), '2')), ['default/tier', 'default/web']);
    assert.deepEqual(keys(v(base, '1'), v(pod('p', { labels: { app: 'api', tier: 'x' } }), '2')), ['default/api', 'default/web']);
  });
});
