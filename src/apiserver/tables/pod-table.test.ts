import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerStatus, Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { podTable, summarizePod } from './pod-table.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString();

function pod(status: PodStatus, extra: { init?: string[]; sidecars?: string[]; containers?: string[]; deleting?: boolean } = {}): Pod {
  return {
    metadata: { name: 'p', creationTimestamp: ago(5 * 60_000), ...(extra.deleting ? { deletionTimestamp: ago(1000) } : {}) },
    spec: {
      containers: (extra.containers ?? ['app']).map((name) => ({ name, image: 'busybox' })),
      initContainers: [
        ...(extra.init ?? []).map((name) => ({ name, image: 'busybox' })),
        ...(extra.sidecars ?? []).map((name) => ({ name, image: 'busybox', restartPolicy: 'Always' })),
      ],
    },
    status,
  };
}

const running = (name: string, ready = true, restartCount = 0): ContainerStatus => ({
  name,
  image: 'busybox',
  imageID: '',
  ready,
  restartCount,
  state: { running: { startedAt: ago(60_000) } },
});
const waiting = (name: string, reason: string, restartCount = 0): ContainerStatus => ({
  name,
  image: 'busybox',
  imageID: '',
  ready: false,
  restartCount,
  state: { waiting: { reason } },
});
const terminated = (name: string, t: { exitCode: number; reason?: string; signal?: number }): ContainerStatus => ({
  name,
  image: 'busybox',
  imageID: '',
  ready: false,
  restartCount: 0,
  state: { terminated: t },
});

void describe('pod STATUS / READY / RESTARTS', () => {
  const cases: [string, Pod, string, string?][] = [
    ['pending phase', pod({ phase: 'Pending' }), 'Pending'],
    ['status reason wins over phase', pod({ phase: 'Failed', reason: 'Evicted' }), 'Evicted'],
    ['running and ready', pod({ phase: 'Running', containerStatuses: [running('app')] }), 'Running', '1/1'],
    ['creating', pod({ phase: 'Pending', containerStatuses: [waiting('app', 'ContainerCreating')] }), 'ContainerCreating', '0/1'],
    ['crash loop', pod({ phase: 'Running', containerStatuses: [waiting('app', 'CrashLoopBackOff', 3)] }), 'CrashLoopBackOff'],
    ['completed', pod({ phase: 'Succeeded', containerStatuses: [terminated('app', { exitCode: 0, reason: 'Completed' })] }), 'Completed'],
    ['error', pod({ phase: 'Failed', containerStatuses: [terminated('app', { exitCode: 1, reason: 'Error' })] }), 'Error'],
    ['oom', pod({ phase: 'Running', containerStatuses: [terminated('app', { exitCode: 137, reason: 'OOMKilled' })] }), 'OOMKilled'],
    ['signal without reason', pod({ phase: 'Running', containerStatuses: [terminated('app', { exitCode: 137, signal: 9 })] }), 'Signal:9'],
    ['exit code without reason', pod({ phase: 'Running', containerStatuses: [terminated('app', { exitCode: 1 })] }), 'ExitCode:1'],
    [
      'first container state wins',
      pod({ phase: 'Running', containerStatuses: [waiting('a', 'ImagePullBackOff'), waiting('b', 'CrashLoopBackOff')] }, { containers: ['a', 'b'] }),
      'ImagePullBackOff',
      '0/2',
    ],
    [
      'completed beside running, pod ready',
      pod(
        {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'True' }],
          containerStatuses: [terminated('a', { exitCode: 0, reason: 'Completed' }), running('b')],
        },
        { containers: ['a', 'b'] },
      ),
      'Running',
      '1/2',
    ],
    [
      'completed beside running, pod not ready',
      pod({ phase: 'Running', containerStatuses: [terminated('a', { exitCode: 0, reason: 'Completed' }), running('b')] }, { containers: ['a', 'b'] }),
      'NotReady',
    ],
    ['init waiting to start', pod({ phase: 'Pending', initContainerStatuses: [waiting('init', 'PodInitializing')] }, { init: ['init'] }), 'Init:0/1'],
    [
      'second init running',
      pod(
        { phase: 'Pending', initContainerStatuses: [terminated('i1', { exitCode: 0, reason: 'Completed' }), running('i2', false)] },
        { init: ['i1', 'i2'] },
      ),
      'Init:1/2',
    ],
    ['init crash loop', pod({ phase: 'Pending', initContainerStatuses: [waiting('init', 'CrashLoopBackOff', 2)] }, { init: ['init'] }), 'Init:CrashLoopBackOff'],
    ['init error', pod({ phase: 'Pending', initContainerStatuses: [terminated('init', { exitCode: 2, reason: 'Error' })] }, { init: ['init'] }), 'Init:Error'],
    ['init exit code', pod({ phase: 'Pending', initContainerStatuses: [terminated('init', { exitCode: 3 })] }, { init: ['init'] }), 'Init:ExitCode:3'],
    ['init signal', pod({ phase: 'Pending', initContainerStatuses: [terminated('init', { exitCode: 137, signal: 9 })] }, { init: ['init'] }), 'Init:Signal:9'],
    [
      'started sidecar counts as a ready container',
      pod(
        { phase: 'Running', initContainerStatuses: [{ ...running('side'), started: true }], containerStatuses: [running('app')] },
        { sidecars: ['side'] },
      ),
      'Running',
      '2/2',
    ],
    ['terminating', pod({ phase: 'Running', containerStatuses: [running('app')] }, { deleting: true }), 'Terminating'],
    ['terminal pods are not terminating', pod({ phase: 'Succeeded', containerStatuses: [terminated('app', { exitCode: 0, reason: 'Completed' })] }, { deleting: true }), 'Completed'],
    ['node lost', pod({ phase: 'Running', reason: 'NodeLost' }, { deleting: true }), 'Unknown'],
    [
      'scheduling gated',
      pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
      'SchedulingGated',
    ],
  ];
  for (const [title, p, status, ready] of cases) {
    void it(title, () => {
      const summary = summarizePod(p, now);
      assert.equal(summary.status, status);
      if (ready !== undefined) assert.equal(summary.ready, ready);
    });
  }

  void it('prints restarts with the time of the last one', () => {
    const restarted: ContainerStatus = {
      ...running('app', true, 3),
      lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * 60_000) } },
    };
    const older: ContainerStatus = {
      ...running('b', true, 1),
      lastState: { terminated: { exitCode: 1, finishedAt: ago(60 * 60_000) } },
    };
    const p = pod({ phase: 'Running', containerStatuses: [restarted, older] }, { containers: ['app', 'b'] });
    assert.equal(summarizePod(p, now).restarts, '4 (2m ago)');
    assert.equal(summarizePod(pod({ phase: 'Running', containerStatuses: [running('app', true, 2)] }), now).restarts, '2');
    assert.equal(summarizePod(pod({ phase: 'Running', containerStatuses: [running('app')] }), now).restarts, '0');
  });

  void it('counts init restarts while initializing, only sidecar restarts after', () => {
    const initializing = pod({ phase: 'Pending', initContainerStatuses: [waiting('init', 'CrashLoopBackOff', 5)] }, { init: ['init'] });
    assert.equal(summarizePod(initializing, now).restarts, '5');
    const done = pod(
      { phase: 'Running', initContainerStatuses: [{ ...terminated('init', { exitCode: 0, reason: 'Completed' }), restartCount: 5 }], containerStatuses: [running('app', true, 1)] },
      { init: ['init'] },
    );
    assert.equal(summarizePod(done, now).restarts, '1');
  });
});

void describe('podTable', () => {
  void it('has upstream columns', () => {
    assert.deepEqual(
      podTable.columns.map((c) => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Ready', 0],
        ['Status', 0],
        ['Restarts', 0],
        ['Age', 0],
        ['IP', 1],
        ['Node', 1],
        ['Nominated Node', 1],
        ['Readiness Gates', 1],
      ],
    );
    assert.equal(podTable.columns[0]?.format, 'name');
    assert.ok(podTable.columns.every((c) => c.description.length > 0));
  });

  void it('renders a scheduled, running pod', () => {
    const p = pod({
      phase: 'Running',
      podIPs: [{ ip: '10.1.0.7' }],
      conditions: [{ type: 'example.com/gate', status: 'True' }],
      containerStatuses: [running('app')],
    });
    p.spec = { ...p.spec, containers: p.spec?.containers ?? [], nodeName: 'node-1', readinessGates: [{ conditionType: 'example.com/gate' }, { conditionType: 'other' }] };
    assert.deepEqual(podTable.cells(p as never, now), ['p', '1/1', 'Running', '0', '5m', '10.1.0.7', 'node-1', '<none>', '1/2']);
  });

  void it('renders placeholders for an unscheduled pod', () => {
    const cells = podTable.cells(pod({ phase: 'Pending' }) as never, now);
    assert.deepEqual(cells.slice(5), ['<none>', '<none>', '<none>', '<none>']);
  });
});
