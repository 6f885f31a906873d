import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { nodeTable } from './node-table.js';

const now = new Date('2024-05-01T12:00:00Z');

function node(extra: { ready?: string; unschedulable?: boolean; labels?: Record<string, string> } = {}): KubeObject {
  return {
    metadata: { name: 'node-1', creationTimestamp: '2024-04-20T12:00:00Z', labels: extra.labels ?? {} },
    spec: extra.unschedulable ? { unschedulable: true } : {},
    status: {
      conditions: extra.ready === undefined ? [] : [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: extra.ready }],
      addresses: [{ type: 'Hostname', address: 'node-1' }, { type: 'InternalIP', address: '192.168.1.10' }],
      nodeInfo: { kubeletVersion: 'v1.32.0-k8ts', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-18-amd64', containerRuntimeVersion: 'containerd://1.6.20' },
    },
  };
}

void describe('nodeTable', () => {
  void it('has upstream columns', () => {
    assert.deepEqual(
      nodeTable.columns.map((c) => `${c.name}:${c.priority}`),
      ['Name:0', 'Status:0', 'Roles:0', 'Age:0', 'Version:0', 'Internal-IP:1', 'External-IP:1', 'OS-Image:1', 'Kernel-Version:1', 'Container-Runtime:1'],
    );
  });

  void it('renders a ready node', () => {
    assert.deepEqual(nodeTable.cells(node({ ready: 'True', labels: { 'node-role.kubernetes.io/control-plane': '' } }), now), [
      'node-1',
      'Ready',
      'control-plane',
      '11d',
      'v1.32.0-k8ts',
      '192.168.1.10',
      '<none>',
      'Debian GNU/Linux 12 (bookworm)',
      '6.1.0-18-amd64',
      'containerd://1.6.20',
    ]);
  });

  void it('computes STATUS and ROLES like upstream', () => {
    assert.equal(nodeTable.cells(node({ ready: 'False' }), now)[1], 'NotReady');
    assert.equal(nodeTable.cells(node({ ready: 'Unknown' }), now)[1], 'NotReady');
    assert.equal(nodeTable.cells(node(), now)[1], 'Unknown');
    assert.equal(nodeTable.cells(node({ ready: 'True', unschedulable: true }), now)[1], 'Ready,SchedulingDisabled');
    assert.equal(nodeTable.cells(node(), now)[2], '<none>');
    const roles = { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/': 'x', 'kubernetes.io/role': 'edge', 'node-role.kubernetes.io/db': 'true' };
    assert.equal(nodeTable.cells(node({ labels: roles }), now)[2], 'db,edge,worker');
  });

  void it('prints <unknown> for missing node info', () => {
    const bare: KubeObject = { metadata: { name: 'n' } };
    assert.deepEqual(nodeTable.cells(bare, now).slice(4), ['', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  });
});
