import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNodeAgentFlags, parseSystemReserved } from './node-flags.js';
import { UsageError } from './usage-error.js';

describe('--system-reserved', () => {
  it('defaults to cpu=100m,memory=256Mi', () => {
    assert.deepEqual(parseNodeAgentFlags({ 'node-name': 'n1' }).systemReserved, { cpu: '100m', memory: '256Mi' });
  });

  it('reads kubelet\'s key=value list, and none', () => {
    assert.deepEqual(parseNodeAgentFlags({ 'node-name': 'n1', 'system-reserved': 'cpu=250m, memory=1Gi,ephemeral-storage=2Gi' }).systemReserved, { cpu: '250m', memory: '1Gi', 'ephemeral-storage': '2Gi' });
    assert.deepEqual(parseSystemReserved('none'), {});
  });

  it('rejects unknown resources and bad quantities', () => {
    assert.throws(() => parseSystemReserved('gpu=1'), UsageError);
    assert.throws(() => parseSystemReserved('cpu=lots'), UsageError);
    assert.throws(() => parseSystemReserved('memory'), UsageError);
  });
});
