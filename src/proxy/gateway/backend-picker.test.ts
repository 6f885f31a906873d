import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackendPicker, COHORT_BUCKETS, cohortBucket, fnv1a } from './backend-picker.js';
import type { CompiledRule, GatewayEndpoint, WeightedBackend } from './route-table.js';

function ep(address: string, extra: Partial<GatewayEndpoint> = {}): GatewayEndpoint {
  return { address, port: 80, ready: true, serving: true, terminating: false, ...extra };
}

function backend(service: string, weight: number, endpoints: GatewayEndpoint[] = [ep('10.0.0.1')]): WeightedBackend {
  return { service, port: 80, weight, endpoints };
}

function rule(backends: WeightedBackend[]): CompiledRule {
  return { route: 'ns/r', ruleIndex: 0, hostnames: [], matches: [{ headers: [], queryParams: [] }], backends };
}

/** A deterministic uniform sequence (LCG), so the proportions test cannot flake. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('random choice follows weights as proportions of the sum; weight 0 gets nothing', () => {
  const picker = new BackendPicker({ random: lcg(7) });
  const r = rule([backend('ns/stable', 9), backend('ns/zero', 0), backend('ns/canary', 1)]);
  const counts = new Map<string, number>();
  for (let i = 0; i < 100_000; i++) {
    const b = picker.pickBackend(r);
    counts.set(b?.service ?? '', (counts.get(b?.service ?? '') ?? 0) + 1);
  }
  assert.equal(counts.get('ns/zero'), undefined);
  const canaryShare = (counts.get('ns/canary') ?? 0) / 100_000;
  assert.ok(Math.abs(canaryShare - 0.1) < 0.005, `canary share ${canaryShare}`);
});

test('no weight at all: no backend', () => {
  const picker = new BackendPicker();
  assert.equal(picker.pickBackend(rule([backend('ns/a', 0)])), undefined);
  assert.equal(picker.pickBackend(rule([])), undefined);
});

test('cohort buckets: contiguous ranges in declaration order, sticky as the later weight grows', () => {
  const picker = new BackendPicker();
  const at = (stable: number, canary: number): CompiledRule => rule([backend('ns/stable', stable), backend('ns/canary', canary)]);
  const r10 = at(90, 10);
  assert.equal(picker.pickBackend(r10, 0)?.service, 'ns/stable');
  assert.equal(picker.pickBackend(r10, 8999)?.service, 'ns/stable');
  assert.equal(picker.pickBackend(r10, 9000)?.service, 'ns/canary');
  assert.equal(picker.pickBackend(r10, 9999)?.service, 'ns/canary');
  // Every bucket on the canary at 10% stays there at 20, 50 and 100.
  for (const w of [20, 50, 100]) {
    const rw = at(100 - w, w);
    for (let b = 0; b < COHORT_BUCKETS; b++) {
      if (picker.pickBackend(r10, b)?.service === 'ns/canary') assert.equal(picker.pickBackend(rw, b)?.service, 'ns/canary');
    }
  }
  // Abort: weight back to 0, everyone on stable.
  const r0 = at(100, 0);
  for (let b = 0; b < COHORT_BUCKETS; b += 97) assert.equal(picker.pickBackend(r0, b)?.service, 'ns/stable');
});

test('cohortBucket reads the header or the cookie; missing key is -1', () => {
  const h = { source: 'header' as const, name: 'x-user' };
  const c = { source: 'cookie' as const, name: 'uid' };
  const b = cohortBucket(h, ['x-user'], ['alice']);
  assert.equal(b, fnv1a('alice') % COHORT_BUCKETS);
  assert.equal(cohortBucket(h, [], []), -1);
  assert.equal(cohortBucket(undefined, ['x-user'], ['alice']), -1);
  assert.equal(cohortBucket(c, ['cookie'], ['a=1; uid=alice; z=2']), b);
  assert.equal(cohortBucket(c, ['cookie'], ['uid="alice"']), b);
  assert.equal(cohortBucket(c, ['cookie'], ['xuid=alice']), -1);
  assert.equal(cohortBucket(c, ['cookie'], ['uid=']), -1);
  assert.equal(cohortBucket(c, ['cookie', 'cookie'], ['a=1', 'uid=alice']), b);
});

test('fnv1a matches the reference vectors', () => {
  assert.equal(fnv1a(''), 0x811c9dc5);
  assert.equal(fnv1a('a'), 0xe40c292c);
  assert.equal(fnv1a('foobar'), 0xbf9cf968);
  assert.equal(fnv1a('xfoobarx', 1, 7), 0xbf9cf968);
});

test('round robin over ready endpoints, skipping unready and terminating; exclude for retries', () => {
  const picker = new BackendPicker();
  const b = backend('ns/s', 1, [ep('a'), ep('b', { ready: false }), ep('c', { terminating: true, ready: false, serving: true }), ep('d')]);
  const seen = [1, 2, 3, 4].map(() => picker.pickEndpoint(b)?.address);
  assert.deepEqual(seen, ['a', 'd', 'a', 'd']);
  assert.equal(picker.pickEndpoint(b, ep('a'))?.address, 'd');
  assert.equal(picker.pickEndpoint(b, ep('d'))?.address, 'a');
  const single = backend('ns/one', 1, [ep('x')]);
  assert.equal(picker.pickEndpoint(single, ep('x')), undefined);
  assert.equal(picker.pickEndpoint(backend('ns/none', 1, [ep('y', { ready: false })])), undefined);
});

test('least in-flight prefers the idle endpoint and release() frees it', () => {
  const picker = new BackendPicker({ strategy: 'least-in-flight' });
  const b = backend('ns/s', 1, [ep('a'), ep('b')]);
  const first = picker.pickEndpoint(b);
  const second = picker.pickEndpoint(b);
  assert.notEqual(first?.address, second?.address);
  assert.ok(first !== undefined);
  picker.release(first);
  // `first` is idle again, `second` still busy.
  assert.equal(picker.pickEndpoint(b)?.address, first.address);
});
