import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PodSandboxConfig } from '../runtime.js';
import type { CriPodSandboxStatus } from './cri-messages.js';
import {
  fromCriSandboxStatus, OWNER_LABEL, podCgroupParent, SANDBOX_CONFIG_ANNOTATION, storedSandboxConfig, toCriSandboxConfig, withStoredConfig,
} from './cri-sandbox-mapping.js';

const settings = { owner: 'node-1', cgroupRoot: '/k8ts' };

function sandbox(extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  return {
    podUid: 'u-1', podName: 'web', podNamespace: 'prod', attempt: 2, hostname: 'web-host', hostNetwork: false,
    portMappings: [{ containerPort: 8080, hostPort: 18080, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }],
    logDirectory: '/var/log/pods/prod_web_u-1', labels: { app: 'web' }, ...extra,
  };
}

describe('CRI sandbox mapping', () => {
  it('maps a pod-network sandbox: metadata, hostname, logs, hostPorts only, labels, cgroup parent, namespaces', () => {
    const cri = toCriSandboxConfig(sandbox(), settings);
    assert.deepEqual(cri.metadata, { name: 'web', uid: 'u-1', namespace: 'prod', attempt: 2 });
    assert.equal(cri.hostname, 'web-host');
    assert.equal(cri.logDirectory, '/var/log/pods/prod_web_u-1');
    assert.deepEqual(cri.portMappings, [{ protocol: 'TCP', containerPort: 8080, hostPort: 18080, hostIp: '' }]);
    assert.deepEqual(cri.labels, { app: 'web', [OWNER_LABEL]: 'node-1' });
    assert.equal(cri.linux.cgroupParent, '/k8ts/podu-1');
    assert.deepEqual(cri.linux.securityContext.namespaceOptions, { network: 'POD', pid: 'CONTAINER', ipc: 'POD' });
  });

  it('a host-network sandbox uses the node network and sends no hostname (runc refuses one without a UTS namespace)', () => {
    const cri = toCriSandboxConfig(sandbox({ hostNetwork: true }), settings);
    assert.equal(cri.hostname, '');
    assert.equal(cri.linux.securityContext.namespaceOptions.network, 'NODE');
  });

  it('passes the pod DNS config on (containerd writes the resolv.conf from it), and none when the pod has none', () => {
    const dnsConfig = { servers: ['169.254.20.10'], searches: ['prod.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] };
    assert.deepEqual(toCriSandboxConfig(sandbox({ dnsConfig }), settings).dnsConfig, dnsConfig);
    assert.equal(toCriSandboxConfig(sandbox(), settings).dnsConfig, undefined);
  });

  it('cgroup parents tolerate a trailing slash on the root', () => {
    assert.equal(podCgroupParent('/k8ts/', 'abc'), '/k8ts/podabc');
  });

  it('stores the config on the sandbox and reads it back', () => {
    const cri = toCriSandboxConfig(sandbox(), settings);
    const stored = withStoredConfig(cri);
    assert.deepEqual(storedSandboxConfig(stored.annotations), cri);
    assert.deepEqual(withStoredConfig(storedSandboxConfig(stored.annotations)!), stored);
    assert.equal(storedSandboxConfig({}), undefined);
    assert.equal(storedSandboxConfig({ [SANDBOX_CONFIG_ANNOTATION]: '{oops' }), undefined);
  });

  it('maps a status: state, ns creation time, IP, labels without the owner label', () => {
    const status: CriPodSandboxStatus = {
      id: 'sb1', metadata: { name: 'web', uid: 'u-1', namespace: 'prod', attempt: 0 }, state: 'SANDBOX_NOTREADY',
      createdAt: 1_700_000_000_123_456_000, network: { ip: '10.1.2.3' }, labels: { app: 'web', [OWNER_LABEL]: 'node-1' }, annotations: {},
    };
    assert.deepEqual(fromCriSandboxStatus(status, '10.1.2.3'), {
      id: 'sb1', podUid: 'u-1', state: 'notready', ip: '10.1.2.3', createdAt: new Date(1_700_000_000_123), labels: { app: 'web' },
    });
    assert.equal(fromCriSandboxStatus({ ...status, state: 'SANDBOX_READY' }, '').state, 'ready');
    assert.equal('ip' in fromCriSandboxStatus(status, ''), false);
  });
});
