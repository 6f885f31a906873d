import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError } from '../../lib/errors.js';
import { isWatchRequest, parseDeleteOptions, parseListQuery, parseWatchQuery, parseWriteOptions } from './request-options.js';

const q = (query: string) => new URLSearchParams(query);

describe('request options', () => {
  it('detects watches', () => {
    assert.equal(isWatchRequest(q('watch=1')), true);
    assert.equal(isWatchRequest(q('watch=true')), true);
    assert.equal(isWatchRequest(q('watch=false')), false);
    assert.equal(isWatchRequest(q('limit=500')), false);
  });

  it('parses list queries and rejects bad values', () => {
    assert.deepEqual(parseListQuery(q('labelSelector=app%3Dweb&limit=500&resourceVersion=0&resourceVersionMatch=NotOlderThan')), {
      labelSelector: 'app=web', limit: 500, resourceVersion: '0', resourceVersionMatch: 'NotOlderThan',
    });
    assert.throws(() => parseListQuery(q('limit=-1')), BadRequestError);
    assert.throws(() => parseListQuery(q('resourceVersionMatch=Sometimes')), BadRequestError);
  });

  it('narrows an item watch to its name and reads timeoutSeconds and bookmarks', () => {
    assert.deepEqual(parseWatchQuery(q('fieldSelector=a%3Db&allowWatchBookmarks=true&timeoutSeconds=30&resourceVersion=7'), 'web'), {
      query: { fieldSelector: 'a=b,metadata.name=web', resourceVersion: '7', allowWatchBookmarks: true },
      timeoutSeconds: 30,
    });
  });

  it('defaults fieldValidation to Warn like upstream and validates dryRun', () => {
    assert.deepEqual(parseWriteOptions(q('')), { dryRun: false, fieldValidation: 'Warn' });
    assert.deepEqual(parseWriteOptions(q('dryRun=All&fieldManager=kubectl-create&fieldValidation=Strict')), {
      dryRun: true, fieldManager: 'kubectl-create', fieldValidation: 'Strict',
    });
    assert.throws(() => parseWriteOptions(q('fieldValidation=Loose')), BadRequestError);
    assert.throws(() => parseWriteOptions(q('dryRun=Yes')), BadRequestError);
  });

  it('reads DeleteOptions from the body, falling back to query parameters', () => {
    assert.deepEqual(parseDeleteOptions(q(''), { propagationPolicy: 'Foreground', gracePeriodSeconds: 0, dryRun: ['All'], preconditions: { uid: 'u1' } }), {
      dryRun: true, gracePeriodSeconds: 0, propagationPolicy: 'Foreground', preconditions: { uid: 'u1' },
    });
    assert.deepEqual(parseDeleteOptions(q('gracePeriodSeconds=5&propagationPolicy=Orphan'), undefined), {
      dryRun: false, gracePeriodSeconds: 5, propagationPolicy: 'Orphan',
    });
    assert.deepEqual(parseDeleteOptions(q(''), { orphanDependents: true }), { dryRun: false, propagationPolicy: 'Orphan' });
    assert.throws(() => parseDeleteOptions(q(''), { propagationPolicy: 'Sideways' }), BadRequestError);
    assert.throws(() => parseDeleteOptions(q(''), [1]), BadRequestError);
  });
});

describe('default field manager', () => {
  it('is the User-Agent prefix, as upstream derives it', () => {
    assert.equal(parseWriteOptions(new URLSearchParams(''), 'kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07').fieldManager, 'kubectl');
    assert.equal(parseWriteOptions(new URLSearchParams('fieldManager=mine'), 'kubectl/v1.32.4').fieldManager, 'mine');
    assert.equal(parseWriteOptions(new URLSearchParams(''), undefined).fieldManager, undefined);
  });
});
