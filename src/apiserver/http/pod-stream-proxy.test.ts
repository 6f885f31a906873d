import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { agentStreamPath, podStreamTarget } from './pod-stream-proxy.js';

function pod(extra: { nodeName?: string; phase?: string; containers?: string[] } = {}): Pod {
  return {
    metadata: { name: 'web', namespace: 'default' },
    spec: { ...(extra.nodeName !== undefined ? { nodeName: extra.nodeName } : {}), containers: (extra.containers ?? ['main']).map((name) => ({ name })) },
    status: { phase: extra.phase ?? 'Running' },
  };
}

test('only pods/{exec,attach,portforward} of core v1 are stream targets', () => {
  assert.deepEqual(podStreamTarget('/api/v1/namespaces/default/pods/web/portforward'), { namespace: 'default', name: 'web', subresource: 'portforward' });
  assert.deepEqual(podStreamTarget('/api/v1/namespaces/ns/pods/p/exec'), { namespace: 'ns', name: 'p', subresource: 'exec' });
  assert.equal(podStreamTarget('/api/v1/namespaces/default/pods/web/log'), undefined);
  assert.equal(podStreamTarget('/api/v1/namespaces/default/pods/web'), undefined);
  assert.equal(podStreamTarget('/apis/apps/v1/namespaces/default/deployments/web/exec'), undefined);
});

test('agent paths: portForward keeps the query; exec picks and checks the container', () => {
  const target = { namespace: 'default', name: 'web' } as const;
  assert.deepEqual(agentStreamPath(pod({ nodeName: 'n1' }), { ...target, subresource: 'portforward' }, new URLSearchParams('ports=80')), {
    nodeName: 'n1',
    path: '/portForward/default/web?ports=80',
  });
  const exec = agentStreamPath(pod({ nodeName: 'n1' }), { ...target, subresource: 'exec' }, new URLSearchParams('command=ls&command=-l&stdout=true'));
  assert.equal(exec.path, '/exec/default/web/main?command=ls&command=-l&stdout=true');
  assert.throws(() => agentStreamPath(pod({ nodeName: 'n1' }), { ...target, subresource: 'exec' }, new URLSearchParams('container=x&command=ls')), {
    message: 'container x is not valid for pod web',
  });
  assert.throws(() => agentStreamPath(pod({ nodeName: 'n1', containers: ['a', 'b'] }), { ...target, subresource: 'attach' }, new URLSearchParams()), {
    message: 'a container name must be specified for pod web, choose one of: [a b]',
  });
});

test('upstream refusals: no host assigned, completed pod', () => {
  const target = { namespace: 'default', name: 'web' } as const;
  assert.throws(() => agentStreamPath(pod(), { ...target, subresource: 'portforward' }, new URLSearchParams()), { message: 'pod web does not have a host assigned', code: 'BadRequest' });
  assert.throws(() => agentStreamPath(pod({ nodeName: 'n1', phase: 'Succeeded' }), { ...target, subresource: 'exec' }, new URLSearchParams('command=ls')), {
    message: 'cannot exec into a container in a completed pod; current phase is Succeeded',
  });
  assert.throws(() => agentStreamPath(pod({ nodeName: 'n1', phase: 'Failed' }), { ...target, subresource: 'attach' }, new URLSearchParams()), {
    message: 'cannot attach a container in a completed pod; current phase is Failed',
  });
});
