import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../lib/clock.js';
import { ProxyHealth, TO_BE_DELETED_TAINT } from './proxy-health.js';

const TIMEOUT = 60_000;

function setup(): { clock: FakeClock; health: ProxyHealth } {
  const clock = new FakeClock();
  const health = new ProxyHealth({ clock, healthTimeoutMs: TIMEOUT });
  health.started();
  return { clock, health };
}

describe('ProxyHealth', () => {
  it('is healthy while starting and while nothing waits, however long since the last sync', () => {
    const { clock, health } = setup();
    assert.equal(health.isHealthy(), true);
    clock.advance(10 * TIMEOUT);
    assert.equal(health.isHealthy(), true);
    assert.equal(health.status().lastUpdated?.getTime(), new Date('2025-01-01T00:00:00Z').getTime());
  });

  it('a change not synced within the timeout makes it unhealthy; a sync makes it healthy again', () => {
    const { clock, health } = setup();
    health.queued();
    clock.advance(TIMEOUT - 1);
    assert.equal(health.isHealthy(), true, 'not late yet');
    health.queued(); // a later change does not move the oldest one
    clock.advance(1);
    assert.equal(health.isHealthy(), false);
    health.syncStarted();
    health.synced();
    assert.equal(health.isHealthy(), true);
    assert.equal(health.status().lastUpdated?.getTime(), clock.now().getTime());
  });

  it('failing syncs keep the change waiting (and a failed resync with nothing queued counts as one)', () => {
    const { clock, health } = setup();
    health.syncStarted();
    health.syncFailed();
    clock.advance(TIMEOUT);
    assert.equal(health.isHealthy(), false);
    health.syncStarted();
    health.syncFailed();
    assert.equal(health.isHealthy(), false, 'the retry failed too');
    health.syncStarted();
    health.synced();
    assert.equal(health.isHealthy(), true);
  });

  it('a change queued during a sync still waits after that sync', () => {
    const { clock, health } = setup();
    health.queued();
    health.syncStarted();
    clock.advance(1_000);
    health.queued();
    health.synced();
    clock.advance(TIMEOUT - 1);
    assert.equal(health.isHealthy(), true);
    clock.advance(1);
    assert.equal(health.isHealthy(), false, 'the change queued mid-sync has now waited the timeout');
    health.syncStarted();
    health.synced();
    assert.equal(health.isHealthy(), true);
  });

  it('the node is eligible unless deleted, being deleted or tainted by the cluster autoscaler', () => {
    const { health } = setup();
    assert.equal(health.nodeEligible, true, 'eligible before any Node event');
    health.syncNode({ metadata: { name: 'n1' }, spec: { taints: [{ key: TO_BE_DELETED_TAINT, effect: 'NoSchedule' }] } });
    assert.equal(health.nodeEligible, false);
    health.syncNode({ metadata: { name: 'n1' }, spec: { taints: [{ key: 'other', effect: 'NoSchedule' }] } });
    assert.equal(health.nodeEligible, true);
    health.syncNode({ metadata: { name: 'n1', deletionTimestamp: '2025-01-01T00:00:00Z' } });
    assert.equal(health.nodeEligible, false);
    health.syncNode({ metadata: { name: 'n1' } });
    assert.equal(health.nodeEligible, true);
    health.syncNode(undefined);
    assert.equal(health.nodeEligible, false);
    assert.equal(health.isHealthy(), true, 'the proxy\'s own health ignores the Node');
  });
});
