import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeSelectorRequirement } from 'kubernetes-types/core/v1.js';
import { makeNode } from '../testing/fixtures.js';
import { anyTermMatches, requirementMatches, termMatches } from './node-selector-match.js';

const req = (operator: string, values?: string[]): NodeSelectorRequirement => ({ key: 'k', operator, ...(values ? { values } : {}) });

describe('node selector requirements', () => {
  it('implements In, NotIn, Exists, DoesNotExist', () => {
    assert.equal(requirementMatches(req('In', ['a', 'b']), 'b'), true);
    assert.equal(requirementMatches(req('In', ['a']), undefined), false);
    assert.equal(requirementMatches(req('NotIn', ['a']), 'b'), true);
    assert.equal(requirementMatches(req('NotIn', ['a']), undefined), true);
    assert.equal(requirementMatches(req('NotIn', ['a']), 'a'), false);
    assert.equal(requirementMatches(req('Exists'), ''), true);
    assert.equal(requirementMatches(req('Exists'), undefined), false);
    assert.equal(requirementMatches(req('DoesNotExist'), undefined), true);
    assert.equal(requirementMatches(req('DoesNotExist'), 'x'), false);
  });

  it('implements Gt and Lt on integers only', () => {
    assert.equal(requirementMatches(req('Gt', ['4']), '8'), true);
    assert.equal(requirementMatches(req('Gt', ['8']), '8'), false);
    assert.equal(requirementMatches(req('Lt', ['8']), '4'), true);
    assert.equal(requirementMatches(req('Lt', ['8']), 'abc'), false);
    assert.equal(requirementMatches(req('Gt', ['x']), '5'), false);
    assert.equal(requirementMatches(req('Gt', ['1', '2']), '5'), false);
  });

  it('ANDs inside a term, ORs terms, empty terms match nothing, matchFields on metadata.name', () => {
    const node = makeNode('n1', { labels: { zone: 'a', gen: '3' } });
    assert.equal(termMatches({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gen', operator: 'Gt', values: ['2'] }] }, node), true);
    assert.equal(termMatches({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gen', operator: 'Gt', values: ['3'] }] }, node), false);
    assert.equal(termMatches({}, node), false);
    assert.equal(termMatches({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }, node), true);
    assert.equal(anyTermMatches([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n2'] }] }], node), true);
  });
});
