import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intersectHostnames } from './route-attachment.js';
import { parseCohortKey } from './cohort-annotation.js';

test('hostname intersection of a listener and a route', () => {
  assert.deepEqual(intersectHostnames(undefined, []), []);
  assert.deepEqual(intersectHostnames(undefined, ['a.example.com']), ['a.example.com']);
  assert.deepEqual(intersectHostnames('a.example.com', []), ['a.example.com']);
  assert.deepEqual(intersectHostnames('*.example.com', ['a.example.com', 'example.com', 'a.other.org']), ['a.example.com']);
  assert.deepEqual(intersectHostnames('a.example.com', ['*.example.com']), ['a.example.com']);
  assert.deepEqual(intersectHostnames('*.example.com', ['*.a.example.com']), ['*.a.example.com']);
  assert.deepEqual(intersectHostnames('*.a.example.com', ['*.example.com']), ['*.a.example.com']);
  assert.deepEqual(intersectHostnames('*.example.com', ['*.example.com']), ['*.example.com']);
  assert.equal(intersectHostnames('a.example.com', ['b.example.com']), undefined);
  assert.equal(intersectHostnames('*.example.com', ['*.other.org']), undefined);
});

test('cohort key annotation values', () => {
  assert.deepEqual(parseCohortKey('header:X-User'), { ok: true, key: { source: 'header', name: 'x-user' } });
  assert.deepEqual(parseCohortKey(' cookie : Session '), { ok: true, key: { source: 'cookie', name: 'Session' } });
  assert.deepEqual(parseCohortKey(undefined), { ok: true, key: undefined });
  assert.equal(parseCohortKey('query:x').ok, false);
  assert.equal(parseCohortKey('header:').ok, false);
  assert.equal(parseCohortKey('header:a b').ok, false);
});
