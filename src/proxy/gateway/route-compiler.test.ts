import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Gateway, GatewayClass, HTTPRoute, HTTPRouteRule } from '../../api/gateway/index.js';
import { compileRouteTable, type RouteCompilerInput } from './route-compiler.js';
import { COHORT_KEY_ANNOTATION } from './cohort-annotation.js';
import type { CompiledRule } from './route-table.js';

const gatewayClass: GatewayClass = { metadata: { name: 'k8ts' }, spec: { controllerName: 'k8ts.io/gateway-controller' } };
const otherClass: GatewayClass = { metadata: { name: 'other' }, spec: { controllerName: 'example.com/other' } };

function gateway(name: string, listeners: Gateway['spec']['listeners'], className = 'k8ts'): Gateway {
  return { metadata: { namespace: 'default', name }, spec: { gatewayClassName: className, listeners } };
}

function route(name: string, rules: HTTPRouteRule[], extra: Partial<HTTPRoute['spec']> = {}, meta: HTTPRoute['metadata'] = {}): HTTPRoute {
  return {
    metadata: { namespace: 'default', name, creationTimestamp: '2025-01-01T00:00:00Z', ...meta },
    spec: { parentRefs: [{ name: 'gw' }], rules, ...extra },
  };
}

function service(name: string, ports: { name?: string; port: number }[] = [{ port: 80 }]): Service {
  return { metadata: { namespace: 'default', name }, spec: { ports: ports.map((p) => ({ ...p, protocol: 'TCP' })) } };
}

function slice(svc: string, targetPort: number, eps: { ip: string; pod?: string; ready?: boolean; terminating?: boolean }[], portName = ''): EndpointSlice {
  return {
    metadata: { namespace: 'default', name: `${svc}-abc`, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    ports: [{ name: portName, port: targetPort, protocol: 'TCP' }],
    endpoints: eps.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true, serving: e.ready ?? true, terminating: e.terminating ?? false },
      ...(e.pod !== undefined ? { targetRef: { kind: 'Pod', namespace: 'default', name: e.pod } } : {}),
    })),
  };
}

function pod(name: string, labels: Record<string, string>): Pod {
  return { metadata: { namespace: 'default', name, labels } };
}

function input(over: Partial<RouteCompilerInput>): RouteCompilerInput {
  return {
    gatewayClasses: [gatewayClass, otherClass],
    gateways: [gateway('gw', [{ name: 'http', port: 8080, protocol: 'HTTP' }])],
    httpRoutes: [],
    services: [],
    endpointSlices: [],
    pods: [],
    ...over,
  };
}

function describe(rules: readonly CompiledRule[]): string[] {
  return rules.map((r) => `${r.hostnames[0] ?? '*'} ${r.matches[0]?.path?.type}:${r.matches[0]?.path?.value} ${r.route}#${r.ruleIndex}`);
}

test('weighted backends resolve Service port -> target port, endpoint conditions and revisions', () => {
  const table = compileRouteTable(
    input({
      httpRoutes: [route('r', [{ backendRefs: [{ name: 'stable', port: 80, weight: 90 }, { name: 'canary', port: 80, weight: 10 }, { name: 'ghost', port: 80 }] }])],
      services: [service('stable', [{ name: 'http', port: 80 }]), service('canary')],
      endpointSlices: [
        slice('stable', 8080, [{ ip: '10.0.0.2', pod: 's-1' }, { ip: '10.0.0.1', pod: 's-2', ready: false, terminating: true }], 'http'),
        slice('canary', 9090, [{ ip: '10.0.0.3', pod: 'c-1' }]),
      ],
      pods: [pod('s-1', { 'pod-template-hash': 'aaa' }), pod('c-1', { 'pod-template-hash': 'bbb', 'rollouts-pod-template-hash': 'rrr' })],
    }),
    { version: 7 },
  );
  assert.equal(table.version, 7);
  assert.equal(table.listeners.length, 1);
  const rule = table.listeners[0]?.rules[0];
  assert.ok(rule);
  assert.deepEqual(rule.matches, [{ path: { type: 'PathPrefix', value: '/' }, headers: [], queryParams: [] }]);
  const [stable, canary, ghost] = rule.backends;
  assert.equal(stable?.weight, 90);
  assert.deepEqual(stable?.endpoints.map((e) => [e.address, e.port, e.ready, e.terminating, e.revision]), [
    ['10.0.0.1', 8080, false, true, undefined],
    ['10.0.0.2', 8080, true, false, 'aaa'],
  ]);
  assert.equal(canary?.endpoints[0]?.port, 9090);
  assert.equal(canary?.endpoints[0]?.revision, 'rrr');
  assert.equal(canary?.endpoints[0]?.pod, 'default/c-1');
  assert.equal(ghost?.invalid, 'BackendNotFound');
  assert.equal(ghost?.weight, 1);
});

test('precedence: hostname specificity, exact > longest prefix > regex, method, headers, query, age, name, rule order', () => {
  const table = compileRouteTable(
    input({
      httpRoutes: [
        route('b-old', [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }], {}, { creationTimestamp: '2024-01-01T00:00:00Z' }),
        route('a-new', [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }], {}, { creationTimestamp: '2025-06-01T00:00:00Z' }),
        route('paths', [
          { matches: [{ path: { type: 'RegularExpression', value: '/re.*' } }, { path: { type: 'PathPrefix', value: '/api' } }] },
          { matches: [{ path: { type: 'Exact', value: '/api/x' } }, { path: { type: 'PathPrefix', value: '/api/v1/' } }] },
          { matches: [{ path: { type: 'PathPrefix', value: '/api' }, method: 'POST' }, { path: { type: 'PathPrefix', value: '/api' }, headers: [{ name: 'X-A', value: '1' }] }] },
        ]),
        route('hosts', [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }], { hostnames: ['*.example.com', 'www.example.com', '*.a.example.com'] }),
      ],
    }),
    { version: 1 },
  );
  assert.deepEqual(describe(table.listeners[0]?.rules ?? []), [
    'www.example.com PathPrefix:/ default/hosts#0',
    '*.a.example.com PathPrefix:/ default/hosts#0',
    '*.example.com PathPrefix:/ default/hosts#0',
    '* Exact:/api/x default/paths#1',
    '* PathPrefix:/api/v1/ default/paths#1',
    '* PathPrefix:/api default/paths#2', // method
    '* PathPrefix:/api default/paths#2', // one header
    '* PathPrefix:/api default/paths#0',
    '* PathPrefix:/ default/b-old#0',
    '* PathPrefix:/ default/a-new#0',
    '* RegularExpression:/re.* default/paths#0',
  ]);
  const rules = table.listeners[0]?.rules ?? [];
  assert.equal(rules[5]?.matches[0]?.method, 'POST');
  assert.equal(rules[6]?.matches[0]?.headers[0]?.name, 'x-a');
});

test('attachment: class controller, sectionName, port, allowedRoutes namespaces, hostname intersection', () => {
  const table = compileRouteTable(
    input({
      gateways: [
        gateway('gw', [
          { name: 'a', port: 8080, protocol: 'HTTP', hostname: '*.example.com' },
          { name: 'b', port: 9090, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
          { name: 'tls', port: 8443, protocol: 'HTTPS' },
        ]),
        gateway('foreign', [{ name: 'x', port: 7070, protocol: 'HTTP' }], 'other'),
      ],
      httpRoutes: [
        route('on-a', [{}], { hostnames: ['foo.example.com', 'bar.other.org'], parentRefs: [{ name: 'gw', sectionName: 'a' }] }),
        route('no-host-match', [{}], { hostnames: ['bar.other.org'], parentRefs: [{ name: 'gw', sectionName: 'a' }] }),
        route('by-port', [{}], { parentRefs: [{ name: 'gw', port: 9090 }] }),
        { ...route('elsewhere', [{}], { parentRefs: [{ name: 'gw', namespace: 'default' }] }), metadata: { namespace: 'team', name: 'elsewhere', creationTimestamp: '2025-01-01T00:00:00Z' } },
        route('foreign', [{}], { parentRefs: [{ name: 'foreign' }] }),
      ],
    }),
    { version: 1 },
  );
  assert.deepEqual(
    table.listeners.map((l) => [l.port, describe(l.rules)]),
    [
      [8080, ['foo.example.com PathPrefix:/ default/on-a#0']],
      [9090, ['* PathPrefix:/ default/by-port#0', '* PathPrefix:/ team/elsewhere#0']],
    ],
  );
});

test('filters, timeouts, cohort annotation and invalid regexes', () => {
  const table = compileRouteTable(
    input({
      httpRoutes: [
        route(
          'r',
          [
            {
              matches: [{ path: { type: 'PathPrefix', value: '/old' } }],
              filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/new' }, statusCode: 301 } }],
            },
            {
              matches: [{ headers: [{ name: 'x', type: 'RegularExpression', value: '(' }] }, { path: { type: 'Exact', value: '/ok' } }],
              filters: [
                { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Set', value: '1' }], add: [{ name: 'X-Add', value: '2' }], remove: ['X-Gone'] } },
                { type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'X-Resp', value: '3' }] } },
                { type: 'URLRewrite', urlRewrite: { hostname: 'internal' } },
              ],
              timeouts: { request: '2s', backendRequest: '500ms' },
            },
          ],
          {},
          { annotations: { [COHORT_KEY_ANNOTATION]: 'cookie:uid' } },
        ),
      ],
    }),
    { version: 1 },
  );
  const rules = table.listeners[0]?.rules ?? [];
  assert.deepEqual(describe(rules), ['* Exact:/ok default/r#1', '* PathPrefix:/old default/r#0']);
  assert.deepEqual(rules[1]?.redirect, { statusCode: 301, path: { type: 'ReplacePrefixMatch', value: '/new' } });
  assert.deepEqual(rules[0]?.requestHeaders, { set: [{ name: 'x-set', value: '1' }], add: [{ name: 'x-add', value: '2' }], remove: ['x-gone'] });
  assert.deepEqual(rules[0]?.responseHeaders?.add, [{ name: 'x-resp', value: '3' }]);
  assert.deepEqual(rules[0]?.rewrite, { hostname: 'internal' });
  assert.equal(rules[0]?.requestTimeoutMs, 2000);
  assert.equal(rules[0]?.backendRequestTimeoutMs, 500);
  assert.deepEqual(rules[0]?.cohort, { source: 'cookie', name: 'uid' });
  assert.deepEqual(structuredClone(table), table);
});

test('no Gateway of ours: no listeners', () => {
  const table = compileRouteTable(input({ gatewayClasses: [otherClass], httpRoutes: [route('r', [{}])] }), { version: 3 });
  assert.deepEqual(table, { version: 3, listeners: [] });
});

test('cross-namespace backendRefs need a ReferenceGrant', () => {
  const r: HTTPRoute = { ...route('r', [{ backendRefs: [{ name: 'svc', namespace: 'other', port: 80 }] }]) };
  const svc: Service = { metadata: { namespace: 'other', name: 'svc' }, spec: { ports: [{ port: 80 }] } };
  const without = compileRouteTable(input({ httpRoutes: [r], services: [svc] }), { version: 1 });
  assert.equal(without.listeners[0]?.rules[0]?.backends[0]?.invalid, 'RefNotPermitted');
  const grant = {
    metadata: { namespace: 'other', name: 'g' },
    spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'default' }], to: [{ group: '', kind: 'Service' }] },
  };
  const withGrant = compileRouteTable(input({ httpRoutes: [r], services: [svc], referenceGrants: [grant] }), { version: 1 });
  assert.equal(withGrant.listeners[0]?.rules[0]?.backends[0]?.invalid, undefined);
});
