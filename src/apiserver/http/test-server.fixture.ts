// A real API server (plain HTTP) over the real registry and a memory store, with the test kinds
// of test-kinds.fixture.ts; for the HTTP layer's tests.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import type { Store } from '../../storage/store.js';
import { createApiServer, type ApiServer } from '../api-server.js';
import { TokenAuthenticator } from '../auth/token-authenticator.js';
import { ApiMetrics } from '../metrics/api-metrics.js';
import { ApiRegistry } from '../registry/api-registry.js';
import { namespaceStrategy, widgetStrategy } from './test-kinds.fixture.js';

export const TOKEN = 'secret-token';
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
export const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';

export interface Harness {
  base: string;
  api: ApiServer;
  registry: ApiRegistry;
  metrics: ApiMetrics;
  store: Store;
  clock: FakeClock;
}

/** `store` comes from the test (a memory store): backends are imported only by tests and cmd/. */
export async function startHarness(options: { store: Store; maxBodyBytes?: number; unknownFields?: string[] }): Promise<Harness> {
  const store = options.store;
  const clock = new FakeClock({ start: new Date('2025-06-01T00:00:00Z') });
  const registry = new ApiRegistry({
    store,
    kinds: [namespaceStrategy, widgetStrategy],
    clock,
    ...(options.unknownFields ? { fieldValidator: { unknownFields: () => options.unknownFields ?? [] } } : {}),
  });
  const metrics = new ApiMetrics();
  const api = createApiServer({
    registry,
    openapi: {
      root: () => ({ paths: { 'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=ABC' } } }),
      groupVersion: (path) => (path === 'api/v1' ? { body: '{"openapi":"3.0.0"}', hash: 'ABC' } : undefined),
    },
    authenticator: new TokenAuthenticator({ tokens: new Map([[TOKEN, { name: 'admin', groups: ['system:masters'] }]]) }),
    logger: silentLogger(),
    metrics,
    clock,
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    readiness: async () => {
      await store.currentRevision();
    },
  });
  await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
  const { port } = api.server.address() as AddressInfo;
  await registry.lookup('', 'v1', 'namespaces')!.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }, { dryRun: false, fieldValidation: 'Ignore' });
  return { base: `http://127.0.0.1:${port}`, api, registry, metrics, store, clock };
}

export async function stopHarness(h: Harness): Promise<void> {
  await h.api.close();
  h.registry.close();
  await h.store.close();
}

export function call(h: Harness, path: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token !== null) headers.set('Authorization', `Bearer ${init.token ?? TOKEN}`);
  return fetch(`${h.base}${path}`, { ...init, headers });
}

/** Parsed JSON bodies are walked freely in assertions; `any` keeps those tests readable. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export async function json(response: Response): Promise<Json> {
  assert.equal(response.headers.get('content-type'), 'application/json');
  return (await response.json()) as Json;
}

