import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { ResourceNotFoundError } from '../registry/api-errors.js';
import { chooseContainer, PodLogProxy } from './pod-log-proxy.js';
import { sendError } from './respond.js';

function pod(name: string, containers: string[], extra: { nodeName?: string; annotations?: Record<string, string>; init?: string[] } = {}): Pod {
  return {
    metadata: { name, namespace: 'default', ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      containers: containers.map((c) => ({ name: c })),
      ...(extra.init ? { initContainers: extra.init.map((c) => ({ name: c })) } : {}),
      ...(extra.nodeName !== undefined ? { nodeName: extra.nodeName } : {}),
    },
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('chooseContainer', () => {
  it('takes the requested, the annotated default, or the only container', () => {
    assert.equal(chooseContainer(pod('p', ['a', 'b']), 'b'), 'b');
    assert.equal(chooseContainer(pod('p', ['a', 'b'], { annotations: { 'kubectl.kubernetes.io/default-container': 'b' } }), null), 'b');
    assert.equal(chooseContainer(pod('p', ['a']), null), 'a');
  });

  it('asks for a name with upstream text when there are several', () => {
    assert.throws(() => chooseContainer(pod('web', ['a', 'b']), null), { code: 'BadRequest', message: 'a container name must be specified for pod web, choose one of: [a b]' });
    assert.throws(() => chooseContainer(pod('web', ['a', 'b'], { init: ['i'] }), ''),
      { message: 'a container name must be specified for pod web, choose one of: [a b] or one of the init containers: [i]' });
    assert.throws(() => chooseContainer(pod('web', ['a']), 'x'), { code: 'BadRequest', message: 'container x is not valid for pod web' });
  });
});

describe('PodLogProxy', () => {
  const agentRequests: { url: string; auth: string | undefined }[] = [];
  let agent: Server;
  let api: Server;
  let apiBase = '';
  let agentPort = 0;
  const pods = new Map<string, Pod>();
  let releaseFollow: (() => void) | undefined;

  before(async () => {
    agent = createServer((req: IncomingMessage, res) => {
      agentRequests.push({ url: req.url ?? '', auth: req.headers.authorization });
      if (req.url?.includes('/broken/') === true) {
        res.writeHead(400, { 'Content-Type': 'text/plain' });
        res.end('container "app" in pod "broken" is waiting to start: ContainerCreating');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
      res.write('line 1\n');
      if (req.url?.includes('follow=true') === true) {
        releaseFollow = () => res.end('line 2\n');
        return;
      }
      res.end('line 2\n');
    });
    agentPort = await listen(agent);
    const node: Node = {
      metadata: { name: 'n1' },
      status: { addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: agentPort } } },
    };
    pods.set('web', pod('web', ['app'], { nodeName: 'n1' }));
    pods.set('broken', pod('broken', ['app'], { nodeName: 'n1' }));
    pods.set('pending', pod('pending', ['app']));
    pods.set('multi', pod('multi', ['a', 'b'], { nodeName: 'n1' }));
    const proxy = new PodLogProxy({
      getPod: (_ns, name) => {
        const found = pods.get(name);
        return found ? Promise.resolve(found) : Promise.reject(new ResourceNotFoundError({ group: '', resource: 'pods' }, name));
      },
      getNode: () => Promise.resolve(node),
      agentToken: 'agent-token',
      agentScheme: 'https', // the agent speaks plain HTTP: the proxy must fall back
    });
    api = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const name = url.pathname.split('/')[6] ?? '';
      proxy.handle(req, res, 'default', name, url.searchParams).catch((error: unknown) => sendError(res, error));
    });
    apiBase = `http://127.0.0.1:${await listen(api)}/api/v1/namespaces/default/pods`;
  });

  after(async () => {
    api.closeAllConnections();
    agent.closeAllConnections();
    await new Promise((resolve) => api.close(resolve));
    await new Promise((resolve) => agent.close(resolve));
  });

  it('proxies to the node agent with the agent token and the log options', async () => {
    const response = await fetch(`${apiBase}/web/log?container=app&tailLines=3&timestamps=true&pretty=1`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/plain');
    assert.equal(await response.text(), 'line 1\nline 2\n');
    const last = agentRequests.at(-1);
    assert.equal(last?.url, '/containerLogs/default/web/app?timestamps=true&tailLines=3');
    assert.equal(last.auth, 'Bearer agent-token');
  });

  it('streams a followed log as it comes (headers and first chunk before the end)', async () => {
    const response = await fetch(`${apiBase}/web/log?follow=true`);
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    assert.equal(Buffer.from(first.value).toString(), 'line 1\n');
    releaseFollow?.();
    let rest = '';
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      rest += Buffer.from(next.value).toString();
    }
    assert.equal(rest, 'line 2\n');
  });

  it('answers upstream Status errors', async () => {
    const cases: [string, number, string, string][] = [
      ['nope/log', 404, 'NotFound', 'pods "nope" not found'],
      ['pending/log', 400, 'BadRequest', 'pod pending does not have a host assigned'],
      ['multi/log', 400, 'BadRequest', 'a container name must be specified for pod multi, choose one of: [a b]'],
      ['broken/log', 400, 'BadRequest', 'container "app" in pod "broken" is waiting to start: ContainerCreating'],
    ];
    for (const [path, code, reason, message] of cases) {
      const response = await fetch(`${apiBase}/${path}`);
      assert.equal(response.status, code, path);
      const body = (await response.json()) as { kind: string; reason: string; message: string };
      assert.equal(body.kind, 'Status');
      assert.equal(body.reason, reason, path);
      assert.equal(body.message, message, path);
    }
  });
});
