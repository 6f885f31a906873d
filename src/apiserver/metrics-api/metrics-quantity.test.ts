import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCpuNanoCores, formatMemoryBytes, formatWindow } from './metrics-quantity.js';

describe('metrics quantities', () => {
  it('writes CPU nanocores in the largest exact decimal suffix', () => {
    assert.equal(formatCpuNanoCores(1234567), '1234567n');
    assert.equal(formatCpuNanoCores(1234000), '1234u');
    assert.equal(formatCpuNanoCores(5_000_000), '5m');
    assert.equal(formatCpuNanoCores(2e9), '2');
    assert.equal(formatCpuNanoCores(0), '0');
    assert.equal(formatCpuNanoCores(-5), '0');
    assert.equal(formatCpuNanoCores(1.6), '2n');
  });

  it('writes memory bytes in the largest exact binary suffix', () => {
    assert.equal(formatMemoryBytes(10240), '10Ki');
    assert.equal(formatMemoryBytes(10 * 1024 * 1024), '10Mi');
    assert.equal(formatMemoryBytes(1536), '1536');
    assert.equal(formatMemoryBytes(1023), '1023');
    assert.equal(formatMemoryBytes(0), '0');
    assert.equal(formatMemoryBytes(1532 * 1024), '1532Ki');
  });

  it('writes windows as durations Go parses', () => {
    assert.equal(formatWindow(10), '10s');
    assert.equal(formatWindow(10.0514), '10.051s');
    assert.equal(formatWindow(0), '0s');
  });
});
