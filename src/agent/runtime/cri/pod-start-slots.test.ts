import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PodStartSlots } from './pod-start-slots.js';

/** Lets pending promise callbacks run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('PodStartSlots', () => {
  it('a new sandbox keeps its slot for its first container; an older pod goes before a newer one', async () => {
    // One slot, kept as long as the test could take: the order is the slots', not timing.
    const slots = new PodStartSlots({ limit: 1, holdMs: 120_000 });
    const done: string[] = [];
    const older = await slots.runSandbox('older', () => Promise.resolve('sb-older'));
    const newer = slots.runSandbox('newer', () => {
      done.push('newer sandbox');
      return Promise.resolve('sb-newer');
    });
    await flush();
    assert.equal(done.length, 0, 'the older pod still holds the slot');
    slots.created(older, 'older', 'c-first');
    await slots.startContainer('c-first', () => {
      done.push('older first');
      return Promise.resolve();
    });
    assert.equal(await newer, 'sb-newer');
    // The newer pod now holds the slot. A third pod's sandbox, then the older pod's second
    // container, wait for it: the older pod goes first.
    slots.created(older, 'older', 'c-second');
    const newest = slots.runSandbox('newest', () => {
      done.push('newest sandbox');
      return Promise.resolve('sb-newest');
    });
    const second = slots.startContainer('c-second', () => {
      done.push('older second');
      return Promise.resolve();
    });
    slots.created('sb-newer', 'newer', 'c-newer');
    await slots.startContainer('c-newer', () => {
      done.push('newer first');
      return Promise.resolve();
    });
    await second;
    await newest;
    assert.deepEqual(done, ['older first', 'newer sandbox', 'newer first', 'older second', 'newest sandbox']);
    slots.releaseAll();
  });

  it('a kept slot goes back when the hold ends, when CreateContainer fails, or when the sandbox goes', async () => {
    const slots = new PodStartSlots({ limit: 1, holdMs: 10 });
    await slots.runSandbox('a', () => Promise.resolve('sb-a'));
    // The hold ends: the next pod gets the slot without sb-a starting anything (the hold timer
    // does not keep the process alive; this one does).
    const alive = setTimeout(() => undefined, 5000);
    await slots.runSandbox('b', () => Promise.resolve('sb-b'));
    clearTimeout(alive);
    const strict = new PodStartSlots({ limit: 1, holdMs: 120_000 });
    await strict.runSandbox('a', () => Promise.resolve('sb-a'));
    strict.created('sb-a', 'a', undefined); // CreateContainer failed
    await strict.runSandbox('b', () => Promise.resolve('sb-b'));
    strict.forgetSandbox('sb-b', 'b');
    await strict.runSandbox('c', () => Promise.resolve('sb-c'));
    strict.releaseAll();
    slots.releaseAll();
  });

  it('a failed RunPodSandbox gives its slot back', async () => {
    const slots = new PodStartSlots({ limit: 1, holdMs: 120_000 });
    await assert.rejects(slots.runSandbox('a', () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await slots.runSandbox('b', () => Promise.resolve('sb-b')), 'sb-b');
    slots.releaseAll();
  });
});
