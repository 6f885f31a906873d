import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { validateConfigMap } from './config-map.js';

const cm = (extra: Record<string, unknown>): KubeObject => ({ metadata: { name: 'cfg', namespace: 'default' }, ...extra });
const messages = (obj: KubeObject, old?: KubeObject): string[] => validateConfigMap(obj, old).map(formatFieldError);

test('valid keys pass, bad keys are reported per key', () => {
  assert.deepEqual(messages(cm({ data: { 'app.properties': 'x', KEY_1: 'y' }, binaryData: { 'b.bin': 'AAE=' } })), []);
  assert.deepEqual(messages(cm({ data: { 'a/b': 'x' } })), [
    "data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
  ]);
  assert.deepEqual(messages(cm({ data: { k: 'x' }, binaryData: { k: 'AA==' } })), [
    'data[k]: Invalid value: "k": duplicate of key present in binaryData',
  ]);
});

test('total size is limited to 1 MiB', () => {
  assert.deepEqual(messages(cm({ data: { a: 'x'.repeat(1024 * 1024), b: 'y' } })), [': Too long: may not be more than 1048576 bytes']);
  assert.deepEqual(messages(cm({ data: { a: 'x'.repeat(1024 * 1024) } })), []);
});

test('immutable config maps stay immutable', () => {
  const old = cm({ immutable: true, data: { a: '1' } });
  assert.deepEqual(messages(cm({ immutable: true, data: { a: '1' }, metadata: { name: 'cfg', namespace: 'default', labels: { x: 'y' } } }), old), []);
  assert.deepEqual(messages(cm({ data: { a: '2' } }), old), [
    'immutable: Forbidden: field is immutable when `immutable` is set',
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
  assert.deepEqual(messages(cm({ immutable: true, data: { a: '2' } }), cm({ data: { a: '1' } })), []);
});
