import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Listener } from '../../api/gateway/index.js';
import { hostnamesIntersect, listenerRouteKinds } from './route-attachment.js';

void describe('route attachment helpers', () => {
  void it('intersects hostnames with wildcards on either side', () => {
    assert.equal(hostnamesIntersect(undefined, 'a.example.com'), true);
    assert.equal(hostnamesIntersect('a.example.com', 'a.example.com'), true);
    assert.equal(hostnamesIntersect('*.example.com', 'a.b.example.com'), true);
    assert.equal(hostnamesIntersect('a.example.com', '*.example.com'), true);
    assert.equal(hostnamesIntersect('*.example.com', 'example.com'), false);
    assert.equal(hostnamesIntersect('a.example.com', 'b.example.com'), false);
  });

  void it('supports HTTPRoute on HTTP listeners and flags other named kinds', () => {
    const http: Listener = { name: 'h', protocol: 'HTTP', port: 80 };
    assert.deepEqual(listenerRouteKinds(http), { supported: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }], invalid: false });
    assert.deepEqual(listenerRouteKinds({ ...http, protocol: 'TCP' }), { supported: [], invalid: false });
    assert.deepEqual(listenerRouteKinds({ ...http, allowedRoutes: { kinds: [{ kind: 'GRPCRoute' }] } }), { supported: [], invalid: true });
  });
});
