import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoint } from 'kubernetes-types/discovery/v1.js';
import type { EndpointSliceObject } from '../endpoints/endpoint-object-types.js';
import { service } from '../endpoints/endpoint-test-objects.fixture.js';
import { sliceLabels } from './endpoint-slice-meta.js';
import { endpointKey } from './pod-to-endpoint.js';
import { planPortGroup } from './slice-planner.js';

const svc = { ...service('web'), metadata: { name: 'web', namespace: 'default', uid: 'svc-uid' } };

function ep(i: number, ready = true): Endpoint {
  return { addresses: [`10.0.${Math.floor(i / 250)}.${i % 250}`], conditions: { ready, serving: ready, terminating: false }, targetRef: { kind: 'Pod', namespace: 'default', name: `p${i}` } };
}

function slice(name: string, from: number, to: number): EndpointSliceObject {
  const endpoints = Array.from({ length: to - from }, (_, k) => ep(from + k));
  return { metadata: { name, namespace: 'default', labels: sliceLabels({}, svc).labels, resourceVersion: '1' }, addressType: 'IPv4', endpoints };
}

function desired(indexes: number[]): Map<string, Endpoint> {
  return new Map(indexes.map((i) => [endpointKey(ep(i)), ep(i)]));
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
const newSlice = (): EndpointSliceObject => ({ metadata: { generateName: 'web-' }, addressType: 'IPv4', endpoints: [] });

describe('planPortGroup', () => {
  it('the worked example: 2 removed from full A, 5 added -> A refilled, B takes 3, nothing created', () => {
    const a = slice('a', 0, 100);
    const b = slice('b', 100, 160);
    const wanted = [...range(0, 160).filter((i) => i !== 3 && i !== 4), ...range(500, 505)];
    const plan = planPortGroup({ service: svc, existing: [a, b], desired: desired(wanted), newSlice, maxEndpointsPerSlice: 100 });
    assert.equal(plan.create.length, 0);
    assert.equal(plan.delete.length, 0);
    assert.deepEqual(plan.update.map((s) => [s.metadata?.name, s.endpoints.length]), [['a', 100], ['b', 63]]);
  });

  it('nothing changed -> empty plan; a condition change -> that slice only', () => {
    const a = slice('a', 0, 10);
    const b = slice('b', 10, 20);
    assert.deepEqual(planPortGroup({ service: svc, existing: [a, b], desired: desired(range(0, 20)), newSlice, maxEndpointsPerSlice: 100 }),
      { create: [], update: [], delete: [] });
    const wanted = desired(range(0, 20));
    wanted.set(endpointKey(ep(15)), ep(15, false));
    const plan = planPortGroup({ service: svc, existing: [a, b], desired: wanted, newSlice, maxEndpointsPerSlice: 100 });
    assert.deepEqual(plan.update.map((s) => s.metadata?.name), ['b']);
    assert.equal(plan.update[0]?.endpoints.find((e) => e.targetRef?.name === 'p15')?.conditions?.ready, false);
  });

  it('an emptied slice is deleted; overflow goes to new slices', () => {
    const a = slice('a', 0, 5);
    const plan = planPortGroup({ service: svc, existing: [a], desired: desired(range(100, 350)), newSlice, maxEndpointsPerSlice: 100 });
    assert.deepEqual(plan.delete.map((s) => s.metadata?.name), ['a']);
    assert.deepEqual(plan.create.map((s) => s.endpoints.length), [100, 100, 50]);
  });

  it('changed service labels update the slice', () => {
    const a = slice('a', 0, 5);
    const relabelled = { ...svc, metadata: { ...svc.metadata, labels: { team: 'x' } } };
    const plan = planPortGroup({ service: relabelled, existing: [a], desired: desired(range(0, 5)), newSlice, maxEndpointsPerSlice: 100 });
    assert.equal(plan.update[0]?.metadata?.labels?.team, 'x');
  });
});
