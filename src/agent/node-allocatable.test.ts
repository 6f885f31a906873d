import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeAllocatable } from './node-allocatable.js';
import { desiredNodeStatus, type NodeDescription } from './node-status.js';

describe('nodeAllocatable', () => {
  it('subtracts the system reserve and the 100Mi memory eviction threshold', () => {
    const capacity = { cpu: '2', memory: '4194304Ki', pods: '110' };
    assert.deepEqual(nodeAllocatable(capacity, { cpu: '100m', memory: '256Mi' }), { cpu: '1900m', memory: '3829760Ki', pods: '110' });
  });

  it('keeps whole cpus whole and takes 10% of ephemeral storage for nodefs eviction', () => {
    // storage 10000000Ki: minus 10% (1000000Ki) minus 1Gi (1048576Ki) = 7951424Ki.
    const capacity = { cpu: '4', memory: '8Gi', 'ephemeral-storage': '10000000Ki', pods: '110' };
    assert.deepEqual(nodeAllocatable(capacity, { cpu: '1', 'ephemeral-storage': '1Gi' }), {
      cpu: '3', memory: `${8 * 1024 * 1024 - 100 * 1024}Ki`, 'ephemeral-storage': '7951424Ki', pods: '110',
    });
  });

  it('never goes below zero', () => {
    assert.deepEqual(nodeAllocatable({ cpu: '1', memory: '200Mi' }, { cpu: '2', memory: '256Mi' }), { cpu: '0', memory: '0Ki' });
  });

  it('is the capacity when no reserve is configured (hollow and test nodes)', () => {
    assert.deepEqual(nodeAllocatable({ cpu: '2', memory: '1Gi' }, undefined), { cpu: '2', memory: '1Gi' });
  });

  it('is what the Node status reports', () => {
    const d: NodeDescription = {
      nodeName: 'n', address: '10.0.0.1', runtimeName: 'fake', runtimeVersion: '1', daemonPort: 10250,
      host: { hostname: 'n', cpus: 2, memoryBytes: 4 * 2 ** 30, kernelVersion: 'k', osImage: 'o', operatingSystem: 'linux', architecture: 'amd64', machineID: 'm', bootID: 'b' },
      systemReserved: { cpu: '100m', memory: '256Mi' },
    };
    const status = desiredNodeStatus(d, new Date(), undefined);
    assert.deepEqual(status.capacity, { cpu: '2', memory: '4194304Ki', pods: '110' });
    assert.deepEqual(status.allocatable, { cpu: '1900m', memory: '3829760Ki', pods: '110' });
  });
});
