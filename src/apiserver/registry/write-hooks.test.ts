import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chainWriteHooks, type WriteHooks } from './write-hooks.js';

function recording(name: string, log: string[], fail = false): WriteHooks {
  return {
    beginCreate() {
      log.push(`${name}:begin`);
      if (fail) return Promise.reject(new Error(`${name} refused`));
      return Promise.resolve((success) => {
        log.push(`${name}:finish:${success}`);
        return Promise.resolve();
      });
    },
    beginDelete: () => void log.push(`${name}:delete`),
  };
}

describe('chainWriteHooks', () => {
  it('passes a single set through and drops absent ones', () => {
    const only = recording('a', []);
    assert.equal(chainWriteHooks([undefined, only, undefined]), only);
    assert.equal(chainWriteHooks([undefined]), undefined);
  });

  it('runs begin hooks in order and finishes all of them with the outcome', async () => {
    const log: string[] = [];
    const chained = chainWriteHooks([recording('a', log), recording('b', log)]);
    const finish = await chained?.beginCreate?.({}, { dryRun: false });
    await finish?.(true);
    chained?.beginDelete?.('x');
    assert.deepEqual(log, ['a:begin', 'b:begin', 'a:finish:true', 'b:finish:true', 'a:delete', 'b:delete']);
  });

  it('a refusing hook finishes the earlier ones as failed and stops the later ones', async () => {
    const log: string[] = [];
    const chained = chainWriteHooks([recording('a', log), recording('b', log, true), recording('c', log)]);
    await assert.rejects(chained?.beginCreate?.({}, { dryRun: false }) ?? Promise.resolve(), /b refused/);
    assert.deepEqual(log, ['a:begin', 'b:begin', 'a:finish:false']);
  });
});
