import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { serviceTable } from './service-table.js';

const now = new Date('2024-05-01T12:00:00Z');
const created = '2024-04-01T12:00:00Z';

function svc(spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name: 'web', creationTimestamp: created }, spec, status };
}

void describe('serviceTable', () => {
  void it('has upstream columns', () => {
    assert.deepEqual(
      serviceTable.columns.map((c) => `${c.name}:${c.priority}`),
      ['Name:0', 'Type:0', 'Cluster-IP:0', 'External-IP:0', 'Port(s):0', 'Age:0', 'Selector:1'],
    );
  });

  void it('renders a ClusterIP service', () => {
    const s = svc({
      type: 'ClusterIP',
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ports: [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }],
      selector: { tier: 'front', app: 'web' },
    });
    assert.deepEqual(serviceTable.cells(s, now), ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP,53/UDP', '30d', 'app=web,tier=front']);
  });

  void it('renders node ports, pending and assigned load balancers, external names', () => {
    const np = svc({ type: 'NodePort', clusterIPs: ['10.96.0.11'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] });
    assert.deepEqual(serviceTable.cells(np, now).slice(1, 5), ['NodePort', '10.96.0.11', '<none>', '80:30080/TCP']);
    const pending = svc({ type: 'LoadBalancer', clusterIPs: ['10.96.0.12'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] });
    assert.equal(serviceTable.cells(pending, now)[3], '<pending>');
    const lb = svc(
      { type: 'LoadBalancer', clusterIPs: ['10.96.0.12'], externalIPs: ['192.0.2.9'] },
      { loadBalancer: { ingress: [{ ip: '203.0.113.5' }, { hostname: 'lb.example.com' }] } },
    );
    assert.equal(serviceTable.cells(lb, now)[3], '203.0.113.5,lb.example.com,192.0.2.9');
    const ext = svc({ type: 'ExternalName', externalName: 'db.example.com' });
    assert.deepEqual(serviceTable.cells(ext, now).slice(1, 5), ['ExternalName', '<none>', 'db.example.com', '<none>']);
    const headless = svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] });
    assert.equal(serviceTable.cells(headless, now)[2], 'None');
    assert.equal(serviceTable.cells(headless, now)[6], '<none>');
  });
});
