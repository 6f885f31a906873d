import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApplyConflictError, PatchError } from './patch-error.js';

void describe('patch errors', () => {
  void it('PatchError is a BadRequest', () => {
    assert.equal(new PatchError('x').code, 'BadRequest');
  });

  void it('ApplyConflictError words several managers like upstream, managers sorted', () => {
    const err = new ApplyConflictError([
      { manager: 'zeta', field: '.spec.a', message: 'conflict with "zeta"' },
      { manager: 'alpha', field: '.spec.b', message: 'conflict with "alpha" using apps/v1' },
      { manager: 'alpha', field: '.spec.c', message: 'conflict with "alpha" using apps/v1' },
    ]);
    assert.equal(err.code, 'Conflict');
    assert.equal(err.message, 'Apply failed with 3 conflicts: conflicts with "alpha" using apps/v1:\n- .spec.b\n- .spec.c\nconflicts with "zeta":\n- .spec.a');
    assert.equal(err.conflicts.length, 3);
  });
});
