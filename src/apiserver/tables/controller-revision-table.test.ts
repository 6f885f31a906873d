import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import { controllerRevisionTable } from './controller-revision-table.js';

const now = new Date('2026-11-27T12:00:00Z');

function revision(ownerReferences?: OwnerReference[]): KubeObject {
  return {
    metadata: { name: 'web-7d9f6c', creationTimestamp: '2026-11-27T11:59:30Z', ...(ownerReferences ? { ownerReferences } : {}) },
    data: {},
    revision: 2,
  };
}

describe('controllerRevisionTable', () => {
  it('has upstream columns', () => {
    assert.deepEqual(controllerRevisionTable.columns.map((c) => `${c.name}:${c.type}:${c.priority}`), [
      'Name:string:0', 'Controller:string:0', 'Revision:string:0', 'Age:string:0',
    ]);
  });

  it('names the controlling owner as kind.group/name in lower case', () => {
    const owners = [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'not-the-controller', uid: 'u0' },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true },
    ];
    assert.deepEqual(controllerRevisionTable.cells(revision(owners), now), ['web-7d9f6c', 'statefulset.apps/web', 2, '30s']);
  });

  it('a core-group owner has no group; no controller prints <none>', () => {
    const core = [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u2', controller: true }];
    assert.equal(controllerRevisionTable.cells(revision(core), now)[1], 'pod/p');
    assert.equal(controllerRevisionTable.cells(revision([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'd', uid: 'u3' }]), now)[1], '<none>');
    assert.equal(controllerRevisionTable.cells(revision(), now)[1], '<none>');
  });
});
