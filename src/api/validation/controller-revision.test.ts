import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultControllerRevision } from '../defaults/controller-revision.js';
import { formatFieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { validateControllerRevision } from './controller-revision.js';

function revision(fields: Record<string, unknown> = {}): KubeObject {
  const obj: KubeObject = {
    metadata: { name: 'agent-5d4f8c9b7', namespace: 'default' },
    data: { spec: { template: { $patch: 'replace', spec: { containers: [{ name: 'agent', image: 'agent:1' }] } } } },
    revision: 1,
    ...fields,
  };
  defaultControllerRevision(obj);
  return obj;
}
const messages = (obj: KubeObject, old?: KubeObject): string[] => validateControllerRevision(obj, old).map(formatFieldError);

test('a revision with data is valid; a missing revision number defaults to 0', () => {
  assert.deepEqual(messages(revision()), []);
  const numberless = revision({ revision: undefined });
  assert.equal(numberless['revision'], 0);
  assert.deepEqual(messages(numberless), []);
});

test('data is mandatory and the revision number not negative', () => {
  assert.deepEqual(messages(revision({ data: undefined })), ['data: Required value: data is mandatory']);
  assert.deepEqual(messages(revision({ data: null })), ['data: Required value: data is mandatory']);
  assert.deepEqual(messages(revision({ revision: -1 })), ['revision: Invalid value: -1: must be greater than or equal to 0']);
});

test('update: data is immutable, the revision number is not', () => {
  const old = revision();
  assert.deepEqual(messages(revision({ revision: 4 }), old), []);
  assert.deepEqual(messages(revision({ data: { spec: {} } }), old), ['data: Invalid value: {"spec":{}}: field is immutable']);
});
