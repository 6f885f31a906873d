import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError } from '../../lib/errors.js';
import {
  fieldSelectorPaths,
  fieldSelectorRequiresExactMatch,
  fieldSelectorToString,
  matchesFields,
  parseFieldSelector,
} from './field-selector.js';

const rejects = (text: string, message: string): void => {
  assert.throws(() => parseFieldSelector(text), (e: unknown) => e instanceof BadRequestError && e.message === message);
};

void describe('parseFieldSelector', () => {
  void it('parses =, == and != terms, sorted', () => {
    const sel = parseFieldSelector('status.phase!=Failed,spec.nodeName==n1,metadata.name=web');
    assert.deepEqual(sel.requirements, [
      { field: 'metadata.name', operator: 'Equals', value: 'web' },
      { field: 'spec.nodeName', operator: 'Equals', value: 'n1' },
      { field: 'status.phase', operator: 'NotEquals', value: 'Failed' },
    ]);
    assert.deepEqual(fieldSelectorPaths(sel), ['metadata.name', 'spec.nodeName', 'status.phase']);
    assert.equal(fieldSelectorRequiresExactMatch(sel, 'spec.nodeName'), 'n1');
    assert.equal(fieldSelectorRequiresExactMatch(sel, 'status.phase'), undefined);
  });

  void it('unescapes values and skips empty terms', () => {
    const sel = parseFieldSelector('a=x\\,y\\=z\\\\,,b=');
    assert.deepEqual(sel.requirements, [
      { field: 'a', operator: 'Equals', value: 'x,y=z\\' },
      { field: 'b', operator: 'Equals', value: '' },
    ]);
    assert.equal(fieldSelectorToString(sel), 'a=x\\,y\\=z\\\\,b=');
    assert.deepEqual(parseFieldSelector('').requirements, []);
  });

  void it('rejects bad input with upstream wording', () => {
    rejects('spec.nodeName', "invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'");
    rejects('a=b\\x', 'invalid field selector: invalid escape sequence: \\x');
    rejects('a=b\\', 'invalid field selector: invalid escape sequence: \\');
    rejects('a=b=c', 'invalid field selector: unescaped character in value: 61');
  });
});

void describe('matchesFields', () => {
  const fields: Record<string, string> = { 'spec.nodeName': 'n1', 'status.phase': 'Running' };
  const get = (path: string): string | undefined => fields[path];
  void it('matches equality, inequality and treats missing as empty', () => {
    assert.equal(matchesFields(parseFieldSelector('spec.nodeName=n1'), get), true);
    assert.equal(matchesFields(parseFieldSelector('spec.nodeName=n2'), get), false);
    assert.equal(matchesFields(parseFieldSelector('status.phase!=Failed,spec.nodeName=n1'), get), true);
    assert.equal(matchesFields(parseFieldSelector('status.phase!=Running'), get), false);
    assert.equal(matchesFields(parseFieldSelector('other='), get), true);
    assert.equal(matchesFields(parseFieldSelector('other!='), get), false);
    assert.equal(matchesFields(parseFieldSelector(''), get), true);
  });
});
