import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../lib/clock.js';
import type { ContainerStatus } from '../runtime.js';
import { mayBeUnreportedOomKill, settleKillReason } from './kill-reason.js';

const start = new Date('2026-01-01T00:00:00Z');

function exited(exitCode: number, reason: string, finishedAt = start): ContainerStatus {
  return {
    id: 'c1', sandboxId: 's1', name: 'hog', image: 'img', attempt: 0, state: 'exited', createdAt: start,
    finishedAt, exitCode, reason, logPath: 'hog/0.log', labels: {},
  };
}

describe('kill reason settling', () => {
  it('suspects only a recent exit 137 reported as Error', () => {
    const now = new Date(start.getTime() + 500);
    assert.equal(mayBeUnreportedOomKill(exited(137, 'Error'), now, 2000), true);
    assert.equal(mayBeUnreportedOomKill(exited(137, 'OOMKilled'), now, 2000), false);
    assert.equal(mayBeUnreportedOomKill(exited(1, 'Error'), now, 2000), false);
    assert.equal(mayBeUnreportedOomKill(exited(137, 'Error'), new Date(start.getTime() + 2500), 2000), false);
    assert.equal(mayBeUnreportedOomKill({ ...exited(137, 'Error'), state: 'running' }, now, 2000), false);
  });

  it('reads again until the OOM event has landed', async () => {
    const clock = new FakeClock({ start });
    const answers = [exited(137, 'Error'), exited(137, 'OOMKilled')];
    let reads = 0;
    const settled = await settleKillReason(exited(137, 'Error'), async () => answers[reads++]!, { clock, pollMs: 1 });
    assert.equal(settled.reason, 'OOMKilled');
    assert.equal(reads, 2);
  });

  it('believes Error once the window after the exit has passed', async () => {
    const clock = new FakeClock({ start });
    let reads = 0;
    const settled = await settleKillReason(exited(137, 'Error'), async () => {
      reads++;
      clock.advance(400);
      return exited(137, 'Error');
    }, { clock, windowMs: 1000, pollMs: 1 });
    assert.equal(settled.reason, 'Error');
    assert.equal(reads, 3);
  });

  it('does not read again for other exits', async () => {
    const clock = new FakeClock({ start });
    let reads = 0;
    const settled = await settleKillReason(exited(0, 'Completed'), async () => {
      reads++;
      return exited(0, 'Completed');
    }, { clock });
    assert.equal(settled.reason, 'Completed');
    assert.equal(reads, 0);
  });
});
