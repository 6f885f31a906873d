import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { parseGatewayDuration } from './gateway-duration.js';
import { defaultHTTPRoute } from './http-route-defaults.js';
import { validateHTTPRoute } from './http-route-validation.js';

function route(spec: Record<string, unknown>): KubeObject {
  const obj: KubeObject = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'default' }, spec };
  defaultHTTPRoute(obj);
  return obj;
}

function errorsOf(spec: Record<string, unknown>): string[] {
  return validateHTTPRoute(route(spec)).map(formatFieldError);
}

void describe('HTTPRoute defaults', () => {
  void it('fills parentRef group/kind, a PathPrefix "/" rule, match types and backendRef group/kind/weight', () => {
    const obj = route({
      parentRefs: [{ name: 'gw' }],
      rules: [{ matches: [{ headers: [{ name: 'env', value: 'canary' }] }], backendRefs: [{ name: 'svc', port: 80 }],
        filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }] }],
    });
    assert.deepEqual(obj.spec, {
      parentRefs: [{ name: 'gw', group: 'gateway.networking.k8s.io', kind: 'Gateway' }],
      rules: [{
        matches: [{ headers: [{ name: 'env', value: 'canary', type: 'Exact' }], path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [{ name: 'svc', port: 80, group: '', kind: 'Service', weight: 1 }],
        filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 302 } }],
      }],
    });
    assert.deepEqual(route({}).spec, { rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }] });
  });

  void it('keeps given values, including weight 0', () => {
    const obj = route({ rules: [{ matches: [{ path: { type: 'Exact', value: '/a' } }], backendRefs: [{ name: 's', port: 1, weight: 0 }] }] });
    const rule = (obj.spec as { rules: { matches: unknown[]; backendRefs: { weight: number }[] }[] }).rules[0];
    assert.deepEqual(rule?.matches, [{ path: { type: 'Exact', value: '/a' } }]);
    assert.equal(rule?.backendRefs[0]?.weight, 0);
  });
});

void describe('HTTPRoute validation', () => {
  void it('accepts an upstream-style route', () => {
    assert.deepEqual(errorsOf({
      parentRefs: [{ name: 'gw', sectionName: 'http' }, { name: 'gw', sectionName: 'https' }],
      hostnames: ['foo.example.com', '*.example.org'],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/login' }, method: 'GET', queryParams: [{ name: 'v', value: '2' }] }],
        filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-a', value: '1' }], remove: ['x-b'] } }],
        backendRefs: [{ name: 'a', port: 80, weight: 90 }, { name: 'b', port: 80, weight: 10 }],
        timeouts: { request: '10s', backendRequest: '2s' },
      }],
    }), []);
  });

  void it('bounds weights to 0..1,000,000 and needs a port for Services', () => {
    assert.deepEqual(errorsOf({ rules: [{ backendRefs: [{ name: 'a', port: 80, weight: 1_000_001 }, { name: 'b', weight: -1 }] }] }), [
      'spec.rules[0].backendRefs[0].weight: Invalid value: 1000001: spec.rules[0].backendRefs[0].weight in body should be less than or equal to 1000000',
      'spec.rules[0].backendRefs[1]: Invalid value: "object": Must have port for Service reference',
      'spec.rules[0].backendRefs[1].weight: Invalid value: -1: spec.rules[0].backendRefs[1].weight in body should be greater than or equal to 0',
    ]);
    // A non-Service backend needs no port (the status controller reports InvalidKind instead).
    assert.deepEqual(errorsOf({ rules: [{ backendRefs: [{ name: 'a', kind: 'Bucket', group: 'example.com' }] }] }), []);
  });

  void it('checks path match types and values', () => {
    assert.deepEqual(errorsOf({ rules: [{ matches: [{ path: { type: 'Prefix', value: '/' } }] }] }), [
      'spec.rules[0].matches[0].path.type: Unsupported value: "Prefix": supported values: "Exact", "PathPrefix", "RegularExpression"',
    ]);
    assert.deepEqual(errorsOf({ rules: [{ matches: [{ path: { type: 'Exact', value: 'a//b' } }] }] }), [
      "spec.rules[0].matches[0].path: Invalid value: \"object\": value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
      "spec.rules[0].matches[0].path: Invalid value: \"object\": must not contain '//' when type one of ['Exact', 'PathPrefix']",
    ]);
    assert.deepEqual(errorsOf({ rules: [{ matches: [{ path: { type: 'RegularExpression', value: '^/v[0-9]+' } }] }] }), []);
  });

  void it('requires exactly the filter field its type names, and no redirect next to backends', () => {
    assert.deepEqual(errorsOf({ rules: [{
      filters: [{ type: 'RequestRedirect', urlRewrite: { hostname: 'a.example.com' } }],
      backendRefs: [{ name: 'a', port: 80 }],
    }] }), [
      'spec.rules[0].filters[0]: Invalid value: "object": filter.requestRedirect must be specified for RequestRedirect filter.type',
      'spec.rules[0].filters[0]: Invalid value: "object": filter.urlRewrite must be nil if the filter.type is not URLRewrite',
    ]);
    assert.deepEqual(errorsOf({ rules: [{
      filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }],
      backendRefs: [{ name: 'a', port: 80 }],
    }] }), ['spec.rules[0]: Invalid value: "object": RequestRedirect filter must not be used together with backendRefs']);
  });

  void it('applies the parentRefs sectionName rules', () => {
    assert.deepEqual(errorsOf({ parentRefs: [{ name: 'gw' }, { name: 'gw', sectionName: 'http' }] }), [
      'spec.parentRefs: Invalid value: "array": sectionName must be specified when parentRefs includes 2 or more references to the same parent',
    ]);
    assert.deepEqual(errorsOf({ parentRefs: [{ name: 'gw' }, { name: 'gw' }] }), [
      'spec.parentRefs: Invalid value: "array": sectionName must be unique when parentRefs includes 2 or more references to the same parent',
    ]);
    assert.deepEqual(errorsOf({ parentRefs: [{ name: 'gw' }, { name: 'gw', namespace: 'other' }] }), []);
  });

  void it('checks timeouts: format and backendRequest <= request', () => {
    assert.deepEqual(errorsOf({ rules: [{ timeouts: { request: '1s', backendRequest: '2s' } }] }), [
      'spec.rules[0].timeouts: Invalid value: "object": backendRequest timeout cannot be longer than request timeout',
    ]);
    assert.equal(errorsOf({ rules: [{ timeouts: { request: '10 s' } }] }).length, 1);
    assert.deepEqual(errorsOf({ rules: [{ timeouts: { request: '0s', backendRequest: '5s' } }] }), []);
  });

  void it('parses Gateway API durations', () => {
    assert.equal(parseGatewayDuration('1h30m'), 5_400_000);
    assert.equal(parseGatewayDuration('500ms'), 500);
    assert.equal(parseGatewayDuration('1m1s1ms'), 61_001);
    assert.equal(parseGatewayDuration('1d'), undefined);
    assert.equal(parseGatewayDuration('1s1s1s1s1s'), undefined);
    assert.equal(parseGatewayDuration(''), undefined);
  });
});
