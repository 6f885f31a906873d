import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerConfig } from '../runtime.js';
import { fromCriContainerStats, fromCriContainerStatus, relativeLogPath, toCriContainerConfig, TTY_ANNOTATION, toCriResources } from './cri-container-mapping.js';
import type { CriContainerStatus } from './cri-messages.js';
import { IMAGE_ANNOTATION, OWNER_LABEL, SANDBOX_ID_ANNOTATION } from './cri-sandbox-mapping.js';

const namespaceOptions = { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } as const;

function config(extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    name: 'app', image: 'busybox:1.36', command: ['/bin/sh'], args: ['-c', 'echo hi'], env: [{ name: 'A', value: '1' }],
    workingDir: '/work', mounts: [{ containerPath: '/data', hostPath: '/host/data', readOnly: true }],
    logPath: '/logs/pod/app/3.log', attempt: 3, resources: {}, tty: true, stdin: true, labels: { 'io.kubernetes.container.name': 'app' },
    ...extra,
  };
}

function status(extra: Partial<CriContainerStatus> = {}): CriContainerStatus {
  return {
    id: 'c1', metadata: { name: 'app', attempt: 1 }, state: 'CONTAINER_EXITED', createdAt: 1_000_000_000, startedAt: 2_000_000_000,
    finishedAt: 3_500_000_000, exitCode: 137, image: { image: 'docker.io/library/busybox:1.36' }, imageRef: 'sha256:abc', reason: 'OOMKilled',
    message: '', labels: { x: 'y', [OWNER_LABEL]: 'n' }, annotations: { [SANDBOX_ID_ANNOTATION]: 'sb1', [IMAGE_ANNOTATION]: 'busybox:1.36' },
    logPath: '/logs/pod/app/1.log', ...extra,
  };
}

describe('CRI container mapping', () => {
  it('resources: shares from the request (kubelet: 2 at least), CFS quota from the limit, memory limit', () => {
    assert.deepEqual(toCriResources({}), { cpuShares: 2, cpuPeriod: 0, cpuQuota: 0, memoryLimitInBytes: 0 });
    assert.deepEqual(toCriResources({ cpuMillisRequest: 250, cpuMillisLimit: 500, memoryBytesLimit: 64 << 20 }), {
      cpuShares: 256, cpuPeriod: 100_000, cpuQuota: 50_000, memoryLimitInBytes: 64 << 20,
    });
    assert.equal(toCriResources({ cpuMillisRequest: 1 }).cpuShares, 2);
    assert.equal(toCriResources({ cpuMillisRequest: 2000 }).cpuShares, 2048);
    // 1m would be 100 µs per period; kubelet's minimum quota is 1000 µs.
    assert.equal(toCriResources({ cpuMillisLimit: 1 }).cpuQuota, 1_000);
  });

  it('log paths are made relative to the sandbox log directory, and must lie inside it', () => {
    assert.equal(relativeLogPath('/logs/pod', '/logs/pod/app/0.log'), 'app/0.log');
    assert.equal(relativeLogPath('/logs/pod/', '/logs/pod/app/0.log'), 'app/0.log');
    assert.equal(relativeLogPath('/logs/pod', 'app/0.log'), 'app/0.log');
    assert.throws(() => relativeLogPath('/logs/pod', '/elsewhere/0.log'), /not under the sandbox log directory/);
  });

  it('maps a container config: command and args apart, env, mounts, labels, annotations, tty/stdin, resources, namespaces', () => {
    const cri = toCriContainerConfig('sb1', config({ resources: { cpuMillisRequest: 100 } }), { logDirectory: '/logs/pod', owner: 'n', namespaceOptions });
    assert.deepEqual(cri.metadata, { name: 'app', attempt: 3 });
    assert.deepEqual(cri.image, { image: 'busybox:1.36' });
    assert.deepEqual([cri.command, cri.args], [['/bin/sh'], ['-c', 'echo hi']]);
    assert.equal(cri.workingDir, '/work');
    assert.deepEqual(cri.envs, [{ key: 'A', value: '1' }]);
    assert.deepEqual(cri.mounts, [{ containerPath: '/data', hostPath: '/host/data', readonly: true }]);
    assert.deepEqual(cri.labels, { 'io.kubernetes.container.name': 'app', [OWNER_LABEL]: 'n' });
    // The TTY is kept for attach (kubelet attaches with the container's TTY, CRI status lacks it).
    assert.deepEqual(cri.annotations, { [SANDBOX_ID_ANNOTATION]: 'sb1', [IMAGE_ANNOTATION]: 'busybox:1.36', [TTY_ANNOTATION]: 'true' });
    assert.equal(TTY_ANNOTATION in toCriContainerConfig('sb1', config({ tty: false }), { logDirectory: '/logs/pod', owner: 'n', namespaceOptions }).annotations, false);
    assert.equal(cri.logPath, 'app/3.log');
    assert.deepEqual([cri.tty, cri.stdin, cri.stdinOnce], [true, true, false]);
    assert.equal(toCriContainerConfig('sb1', config({ stdinOnce: true }), { logDirectory: '/logs/pod', owner: 'n', namespaceOptions }).stdinOnce, true);
    assert.equal(cri.linux.resources.cpuShares, 102);
    assert.deepEqual(cri.linux.securityContext.namespaceOptions, namespaceOptions);
    const { workingDir: _none, ...noWorkingDir } = config();
    assert.equal(toCriContainerConfig('sb1', noWorkingDir, { logDirectory: '/logs/pod', owner: 'n', namespaceOptions }).workingDir, '');
  });

  it('maps an exited status: times from ns, exit code, reason, the image as the agent named it, sandbox id', () => {
    assert.deepEqual(fromCriContainerStatus(status()), {
      id: 'c1', sandboxId: 'sb1', name: 'app', image: 'busybox:1.36', attempt: 1, state: 'exited',
      createdAt: new Date(1000), startedAt: new Date(2000), finishedAt: new Date(3500), exitCode: 137, reason: 'OOMKilled',
      logPath: '/logs/pod/app/1.log', labels: { x: 'y' },
    });
  });

  it('a created container has no start, finish or exit code; a missing annotation falls back to the runtime image name', () => {
    const created = fromCriContainerStatus(status({ state: 'CONTAINER_CREATED', startedAt: 0, finishedAt: 0, exitCode: 0, reason: '', annotations: {} }));
    assert.equal(created.state, 'created');
    assert.deepEqual([created.startedAt, created.finishedAt, created.exitCode, created.reason, created.sandboxId], [undefined, undefined, undefined, undefined, '']);
    assert.equal(created.image, 'docker.io/library/busybox:1.36');
    assert.equal(fromCriContainerStatus(status({ state: 'CONTAINER_RUNNING' })).state, 'running');
    assert.equal(fromCriContainerStatus(status({ state: 'CONTAINER_UNKNOWN' })).state, 'unknown');
    assert.equal(fromCriContainerStatus(status({ message: 'boom' })).message, 'boom');
    assert.equal(fromCriContainerStatus(status({ logPath: 'app/1.log' }), '/logs/pod').logPath, '/logs/pod/app/1.log');
  });

  it('maps stats: cumulative CPU, working set, timestamp; none without CPU figures', () => {
    const now = new Date(9_999);
    const attributes = { id: 'c1', metadata: { name: 'app', attempt: 0 }, labels: {}, annotations: { [SANDBOX_ID_ANNOTATION]: 'sb1' } };
    assert.deepEqual(fromCriContainerStats({
      attributes, cpu: { timestamp: 5_000_000, usageCoreNanoSeconds: { value: 123 }, usageNanoCores: null }, memory: { timestamp: 5_000_000, workingSetBytes: { value: 4096 } },
    }, now), { containerId: 'c1', sandboxId: 'sb1', name: 'app', timestamp: new Date(5), cpuUsageCoreNanoSeconds: 123, memoryWorkingSetBytes: 4096 });
    assert.equal(fromCriContainerStats({ attributes, cpu: null, memory: null }, now), undefined);
    assert.deepEqual(fromCriContainerStats({ attributes, cpu: { timestamp: 0, usageCoreNanoSeconds: null, usageNanoCores: null }, memory: null }, now)?.timestamp, now);
  });
});
