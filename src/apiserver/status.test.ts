import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { invalid, required } from '../api/field-error.js';
import { BadRequestError, CompactedError, NotFoundError, UnavailableError } from '../lib/errors.js';
import { ApplyConflictError } from './patch/patch-error.js';
import {
  EntityTooLargeError, ForbiddenError, InvalidError, MethodNotSupportedError, NotAcceptableError, OBJECT_MODIFIED,
  ResourceAlreadyExistsError, ResourceConflictError, ResourceNotFoundError, UnauthorizedError, UnsupportedMediaTypeError,
} from './registry/api-errors.js';
import { statusFromError } from './status.js';

describe('statusFromError', () => {
  it('NotFound: 404 with the qualified resource in message and details', () => {
    assert.deepEqual(statusFromError(new ResourceNotFoundError({ group: 'apps', resource: 'deployments' }, 'x')), {
      code: 404,
      status: {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'deployments.apps "x" not found',
        reason: 'NotFound', details: { name: 'x', group: 'apps', kind: 'deployments' }, code: 404,
      },
    });
    // A path nothing serves: empty details, as upstream (kubectl debug dereferences details.name).
    assert.deepEqual(statusFromError(new NotFoundError('the server could not find the requested resource')), {
      code: 404,
      status: {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource',
        reason: 'NotFound', details: {}, code: 404,
      },
    });
  });

  it('AlreadyExists and Conflict are 409', () => {
    const exists = statusFromError(new ResourceAlreadyExistsError({ group: '', resource: 'pods' }, 'p'));
    assert.equal(exists.code, 409);
    assert.equal(exists.status['reason'], 'AlreadyExists');
    assert.equal(exists.status['message'], 'pods "p" already exists');
    const conflict = statusFromError(new ResourceConflictError({ group: 'apps', resource: 'deployments' }, 'web', OBJECT_MODIFIED));
    assert.equal(conflict.code, 409);
    assert.equal(conflict.status['reason'], 'Conflict');
    assert.equal(conflict.status['message'],
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again');
  });

  it('apply conflicts carry one FieldManagerConflict cause per field', () => {
    const error = new ApplyConflictError([{ manager: 'kubectl-client-side-apply', field: '.spec.replicas', message: 'conflict with "kubectl-client-side-apply" using apps/v1' }]);
    const { code, status } = statusFromError(error);
    assert.equal(code, 409);
    assert.equal(status['message'], 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    assert.deepEqual(status['details'], {
      causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }],
    });
  });

  it('Invalid: 422 with kind details and causes; several errors are aggregated', () => {
    const one = new InvalidError({ group: 'apps', kind: 'Deployment' }, 'x', [invalid('spec.replicas', -1, 'must be greater than or equal to 0')]);
    assert.equal(one.message, 'Deployment.apps "x" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    const two = new InvalidError({ group: '', kind: 'Pod' }, 'p', [required('spec.containers'), invalid('metadata.name', 'P')]);
    assert.equal(two.message, 'Pod "p" is invalid: [spec.containers: Required value, metadata.name: Invalid value: "P"]');
    const { code, status } = statusFromError(one);
    assert.equal(code, 422);
    assert.deepEqual(status['details'], {
      name: 'x', group: 'apps', kind: 'Deployment',
      causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' }],
    });
  });

  it('maps the remaining classes to their codes and reasons', () => {
    const cases: [unknown, number, string][] = [
      [new BadRequestError('bad'), 400, 'BadRequest'],
      [new CompactedError(5, 9), 410, 'Expired'],
      [new UnavailableError('down'), 503, 'ServiceUnavailable'],
      [new ForbiddenError({ group: '', resource: 'pods' }, 'p', 'nope'), 403, 'Forbidden'],
      [new MethodNotSupportedError(), 405, 'MethodNotAllowed'],
      [new EntityTooLargeError(3145728), 413, 'RequestEntityTooLarge'],
      [new UnsupportedMediaTypeError('no'), 415, 'UnsupportedMediaType'],
      [new NotAcceptableError('no'), 406, 'NotAcceptable'],
      [new UnauthorizedError(), 401, 'Unauthorized'],
    ];
    for (const [error, code, reason] of cases) {
      const result = statusFromError(error);
      assert.equal(result.code, code, reason);
      assert.equal(result.status['reason'], reason);
      assert.equal(result.status['code'], code);
    }
    assert.equal(statusFromError(new CompactedError(5, 9)).status['message'], 'too old resource version: 5 (9)');
    assert.equal(statusFromError(new EntityTooLargeError(3145728)).status['message'], 'Request entity too large: limit is 3145728');
    assert.equal(statusFromError(new ForbiddenError({ group: '', resource: 'pods' }, 'p', 'nope')).status['message'], 'pods "p" is forbidden: nope');
  });

  it('anything else is a 500 InternalError without a stack trace', () => {
    const { code, status } = statusFromError(new TypeError('boom'));
    assert.equal(code, 500);
    assert.equal(status['reason'], 'InternalError');
    assert.equal(status['message'], 'Internal error occurred: boom');
    assert.doesNotMatch(JSON.stringify(status), /at .*\.ts/);
  });
});
