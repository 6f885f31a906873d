import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRouteMatcher, headerValue, queryParam, type MatchRequest } from './route-matcher.js';
import type { CompiledMatch, CompiledRule, RouteTable } from './route-table.js';

function rule(route: string, match: Partial<CompiledMatch>, hostnames: string[] = []): CompiledRule {
  return {
    route,
    ruleIndex: 0,
    hostnames,
    matches: [{ headers: [], queryParams: [], ...match }],
    backends: [],
  };
}

function table(rules: CompiledRule[]): RouteTable {
  return { version: 1, listeners: [{ port: 8080, rules }] };
}

function req(method: string, host: string | undefined, url: string, headers: Record<string, string> = {}): MatchRequest {
  const q = url.indexOf('?');
  return {
    method,
    host: host ?? '',
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    names: Object.keys(headers),
    values: Object.values(headers),
  };
}

function routeOf(t: RouteTable, method: string, host: string | undefined, url: string, headers: Record<string, string> = {}): string | undefined {
  return compileRouteMatcher(t).match(8080, req(method, host, url, headers))?.rule.route;
}

test('exact and prefix paths match element-wise; first rule in order wins', () => {
  const t = table([
    rule('exact', { path: { type: 'Exact', value: '/a' } }),
    rule('prefix', { path: { type: 'PathPrefix', value: '/abc/' } }),
    rule('root', { path: { type: 'PathPrefix', value: '/' } }),
  ]);
  assert.equal(routeOf(t, 'GET', 'x', '/a'), 'exact');
  assert.equal(routeOf(t, 'GET', 'x', '/a?x=1'), 'exact');
  assert.equal(routeOf(t, 'GET', 'x', '/a/'), 'root');
  assert.equal(routeOf(t, 'GET', 'x', '/abc'), 'prefix');
  assert.equal(routeOf(t, 'GET', 'x', '/abc/def'), 'prefix');
  assert.equal(routeOf(t, 'GET', 'x', '/abc?q'), 'prefix');
  assert.equal(routeOf(t, 'GET', 'x', '/abcd'), 'root');
});

test('no rule matching gives undefined; unknown port gives undefined', () => {
  const t = table([rule('p', { path: { type: 'PathPrefix', value: '/api' } })]);
  assert.equal(routeOf(t, 'GET', 'x', '/other'), undefined);
  assert.equal(compileRouteMatcher(t).match(9999, req('GET', 'x', '/api')), undefined);
});

test('regex path is a full match against the path only', () => {
  const t = table([rule('re', { path: { type: 'RegularExpression', value: '/v[0-9]+/.*' } })]);
  assert.equal(routeOf(t, 'GET', 'x', '/v1/items?z=1'), 're');
  assert.equal(routeOf(t, 'GET', 'x', '/x/v1/items'), undefined);
});

test('method, headers (case-insensitive names, exact and regex values) and query params', () => {
  const t = table([
    rule('m', {
      method: 'POST',
      headers: [
        { name: 'x-canary', type: 'Exact', value: 'yes' },
        { name: 'user-agent', type: 'RegularExpression', value: '.*Mobile.*' },
      ],
    }),
    rule('q', { queryParams: [{ name: 'ver', type: 'Exact', value: 'b c' }] }),
  ]);
  assert.equal(routeOf(t, 'POST', 'x', '/', { 'x-canary': 'yes', 'user-agent': 'Foo Mobile 1' }), 'm');
  assert.equal(routeOf(t, 'GET', 'x', '/', { 'x-canary': 'yes', 'user-agent': 'Foo Mobile 1' }), undefined);
  assert.equal(routeOf(t, 'POST', 'x', '/', { 'x-canary': 'YES', 'user-agent': 'Mobile' }), undefined);
  assert.equal(routeOf(t, 'POST', 'x', '/', { 'x-canary': 'yes' }), undefined);
  assert.equal(routeOf(t, 'GET', 'x', '/p?a=1&ver=b+c'), 'q');
  assert.equal(routeOf(t, 'GET', 'x', '/p?ver=b%20c&ver=zzz'), 'q');
  assert.equal(routeOf(t, 'GET', 'x', '/p?ver=zzz&ver=b%20c'), undefined, 'only the first occurrence counts');
});

test('hostnames: exact, wildcard, case and port ignored; rules without hostnames match any host', () => {
  const t = table([
    rule('exact', {}, ['foo.example.com']),
    rule('wild', {}, ['*.example.com']),
    rule('any', { path: { type: 'PathPrefix', value: '/any' } }),
  ]);
  assert.equal(routeOf(t, 'GET', 'FOO.Example.com:8080', '/'), 'exact');
  assert.equal(routeOf(t, 'GET', 'a.b.example.com', '/'), 'wild');
  assert.equal(routeOf(t, 'GET', 'example.com', '/'), undefined);
  assert.equal(routeOf(t, 'GET', 'example.com', '/any/x'), 'any');
  assert.equal(routeOf(t, 'GET', undefined, '/any'), 'any');
  assert.equal(routeOf(t, 'GET', '[::1]:80', '/any'), 'any');
});

test('the result names which match of a rule hit', () => {
  const r: CompiledRule = {
    route: 'ns/r',
    ruleIndex: 2,
    hostnames: [],
    matches: [
      { path: { type: 'Exact', value: '/one' }, headers: [], queryParams: [] },
      { path: { type: 'PathPrefix', value: '/two' }, headers: [], queryParams: [] },
    ],
    backends: [],
  };
  const m = compileRouteMatcher(table([r])).match(8080, req('GET', 'h', '/two/x'));
  assert.equal(m?.matchIndex, 1);
  assert.equal(m?.match.path?.value, '/two');
  assert.equal(m?.rule, r);
});

test('queryParam decodes and handles valueless params', () => {
  const q = 'a&b=&c=x%2Fy&e%5B%5D=1';
  assert.equal(queryParam(q, 'a'), '');
  assert.equal(queryParam(q, 'b'), '');
  assert.equal(queryParam(q, 'c'), 'x/y');
  assert.equal(queryParam(q, 'e[]'), '1');
  assert.equal(queryParam(q, 'd'), undefined);
});

test('repeated header fields are joined', () => {
  assert.equal(headerValue(['a', 'b', 'a'], ['1', '2', '3'], 'a'), '1, 3');
  assert.equal(headerValue(['a'], ['1'], 'c'), undefined);
});
