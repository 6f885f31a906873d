import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { firstUntolerated, toleratesTaint } from './toleration.js';

describe('tolerations', () => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

  it('matches key, value and effect with Equal (the default)', () => {
    assert.equal(toleratesTaint({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, taint), true);
    assert.equal(toleratesTaint({ key: 'dedicated', value: 'gpu' }, taint), true);
    assert.equal(toleratesTaint({ key: 'dedicated', value: 'cpu' }, taint), false);
    assert.equal(toleratesTaint({ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }, taint), false);
  });

  it('Exists ignores the value; an empty key with Exists tolerates everything', () => {
    assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, taint), true);
    assert.equal(toleratesTaint({ operator: 'Exists' }, taint), true);
    assert.equal(toleratesTaint({ key: 'other', operator: 'Exists' }, taint), false);
  });

  it('finds the first untolerated taint', () => {
    const taints = [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', effect: 'NoExecute' }];
    assert.equal(firstUntolerated(taints, [{ key: 'a', operator: 'Exists' }])?.key, 'b');
    assert.equal(firstUntolerated(taints, [{ operator: 'Exists' }]), undefined);
  });
});
