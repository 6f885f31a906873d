// A real API server in this process (HTTPS, memory store, the built-in kinds) and a kubeconfig
// for it, for the client module's integration tests. Test code may import src/apiserver and
// src/storage; the client under test never does.
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiServer, type ApiServer } from '../../../src/apiserver/api-server.js';
import { TokenAuthenticator } from '../../../src/apiserver/auth/token-authenticator.js';
import { ApiMetrics } from '../../../src/apiserver/metrics/api-metrics.js';
import { OpenApiDocuments } from '../../../src/apiserver/openapi/openapi-documents.js';
import { ApiRegistry } from '../../../src/apiserver/registry/api-registry.js';
import { builtinKinds } from '../../../src/apiserver/registry/kinds/index.js';
import { ensurePki } from '../../../src/apiserver/tls/pki.js';
import { renderKubeconfig } from '../../../src/cmd/kubeconfig.js';
import { systemClock } from '../../../src/lib/clock.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { MemoryStore } from '../../../src/storage/memory/memory-store.js';

export interface ApiHarness {
  readonly url: string;
  readonly kubeconfig: string;
  readonly registry: ApiRegistry;
  readonly store: MemoryStore;
  stop(): Promise<void>;
}

const TOKEN = 'client-test-token';

export async function startApiHarness(): Promise<ApiHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-client-'));
  const store = new MemoryStore();
  const registry = new ApiRegistry({ store, kinds: builtinKinds, clock: systemClock });
  for (const name of ['default', 'kube-system']) {
    await registry.lookup('', 'v1', 'namespaces')?.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { dryRun: false, fieldValidation: 'Ignore' });
  }
  const pki = await ensurePki({ dir: join(dir, 'pki'), hosts: ['127.0.0.1'], clock: systemClock });
  const api: ApiServer = createApiServer({
    registry,
    openapi: new OpenApiDocuments({ kinds: builtinKinds.map((kind) => kind.info) }),
    tls: { key: pki.key, cert: pki.cert },
    authenticator: new TokenAuthenticator({ tokens: new Map([[TOKEN, { name: 'admin', groups: ['system:masters'] }]]) }),
    logger: silentLogger(),
    metrics: new ApiMetrics(),
    clock: systemClock,
  });
  await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
  const { port } = api.server.address() as AddressInfo;
  const url = `https://127.0.0.1:${port}`;
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, renderKubeconfig({ server: url, caCert: pki.caCert, token: TOKEN }));
  return {
    url,
    kubeconfig,
    registry,
    store,
    async stop() {
      await api.close();
      registry.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
