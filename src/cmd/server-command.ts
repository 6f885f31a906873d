// `k8ts server`: the composition root of the API server. Builds the store (wrapped with metrics),
// the compactor, the registry of built-in kinds, the certificates and token, starts HTTPS, and only
// then writes the kubeconfig (so its presence means "ready"). SIGTERM/SIGINT shut down in order.
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createApiServer, type ApiServer } from '../apiserver/api-server.js';
import { InProcessClientSet } from '../apiserver/in-process-client.js';
import { TokenAuthenticator } from '../apiserver/auth/token-authenticator.js';
import { UnionAuthenticator } from '../apiserver/auth/union-authenticator.js';
import { TokenReviewer } from '../apiserver/access-review/token-review.js';
import { ApiMetrics } from '../apiserver/metrics/api-metrics.js';
import { instrumentStore } from '../apiserver/metrics/instrument-store.js';
import { FieldValidator } from '../apiserver/openapi/field-validation.js';
import { OpenApiDocuments } from '../apiserver/openapi/openapi-documents.js';
import { ApiRegistry } from '../apiserver/registry/api-registry.js';
import { namespaceLifecycleHooks } from '../apiserver/registry/namespace-lifecycle.js';
import { serviceAccountHooksFor } from '../apiserver/registry/service-account-admission.js';
import { chainWriteHooks } from '../apiserver/registry/write-hooks.js';
import { EventExpiry } from '../apiserver/registry/event-expiry.js';
import { builtinKinds } from '../apiserver/registry/kinds/index.js';
import { priorityHooksFor } from '../apiserver/registry/priority-admission.js';
import { parsePortRange, parseServiceCidr } from '../apiserver/registry/service-allocation/allocation-range.js';
import { ensureKubernetesService, keepKubernetesService, KUBERNETES_SERVICE_INTERVAL_MS } from '../apiserver/registry/service-allocation/kubernetes-service.js';
import { createServiceAllocation } from '../apiserver/registry/service-allocation/service-allocation.js';
import { serviceHooksFor } from '../apiserver/registry/service-allocation/service-write-hooks.js';
import { ensureSystemPriorityClasses } from '../apiserver/registry/system-priority-classes.js';
import { registryLookup, ServiceAccountAuthenticator } from '../apiserver/serviceaccount/service-account-authenticator.js';
import { ServiceAccountTokens } from '../apiserver/serviceaccount/service-account-tokens.js';
import { ensureAdminToken } from '../apiserver/tls/admin-token.js';
import { ensurePki } from '../apiserver/tls/pki.js';
import { ensureServiceAccountKey } from '../apiserver/tls/service-account-key.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { K8tsError } from '../lib/errors.js';
import { componentLogger, createLogger, type Logger } from '../lib/logger.js';
import { Compactor } from '../storage/compactor.js';
import type { Store } from '../storage/store.js';
import { startGateway, type RunningGateway } from './gateway-host.js';
import { localServerUrl, writeKubeconfig } from './kubeconfig.js';
import { openStore } from './open-store.js';
import { parseServerFlags, SERVER_USAGE, type ServerFlags } from './server-flags.js';
import { waitForSignal } from './signals.js';
import { StartupError, UsageError } from './usage-error.js';
import { startWorkloads, type RunningWorkloads } from './workloads-host.js';

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const COMPACTION_RETENTION_MS = 5 * 60_000;
/** How often leaked or missing Service IP/port reservations are repaired (upstream: 3 minutes). */
const SERVICE_ALLOCATION_REPAIR_MS = 3 * 60_000;

export interface CommandIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

interface RunningServer {
  stop(): Promise<void>;
}

async function ensureNamespaces(registry: ApiRegistry): Promise<void> {
  const namespaces = registry.lookup('', 'v1', 'namespaces');
  if (!namespaces) return;
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await namespaces.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { dryRun: false, fieldValidation: 'Strict' });
    } catch (error) {
      if (!(error instanceof K8tsError && error.code === 'AlreadyExists')) throw error;
    }
  }
}

function listen(api: ApiServer, flags: ServerFlags): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const where = `${flags.address}:${flags.port}`;
      if (error.code === 'EADDRINUSE') reject(new StartupError(`port ${flags.port} on ${flags.address} is already in use; stop the other process or pass --port <free port>`));
      else if (error.code === 'EACCES') reject(new StartupError(`no permission to listen on ${where}; pass --port with a port above 1023`));
      else if (error.code === 'EADDRNOTAVAIL') reject(new StartupError(`address ${flags.address} does not belong to this machine; pass --address 127.0.0.1 or 0.0.0.0`));
      else reject(new StartupError(`cannot listen on ${where}: ${error.message}`));
    };
    api.server.once('error', onError);
    api.server.listen(flags.port, flags.address, () => {
      api.server.off('error', onError);
      resolve();
    });
  });
}

/** Starts everything; on failure closes what was opened and throws (StartupError for the user). */
export async function startServer(flags: ServerFlags, logger: Logger, clock: Clock, io: CommandIo): Promise<RunningServer> {
  try {
    await mkdir(flags.dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new StartupError(`cannot create --data-dir ${flags.dataDir}: ${(error as Error).message}`, { cause: error });
  }
  const metrics = new ApiMetrics();
  let rawStore: Store | undefined;
  let compactor: Compactor | undefined;
  let eventExpiry: EventExpiry | undefined;
  let registry: ApiRegistry | undefined;
  let api: ApiServer | undefined;
  let workloads: RunningWorkloads | undefined;
  let gateway: RunningGateway | undefined;
  const repairStop = new AbortController();
  let repairing: Promise<void> | undefined;
  let keepingKubernetesService: Promise<void> | undefined;
  const stop = async () => {
    // Clients first (they stop watching and writing), then the API server, then the store.
    await gateway?.stop();
    await workloads?.stop();
    await api?.close();
    repairStop.abort();
    await repairing;
    await keepingKubernetesService;
    await compactor?.stop();
    await eventExpiry?.stop();
    registry?.close();
    await rawStore?.close();
  };
  try {
    rawStore = await openStore(flags.store, flags.dataDir);
    const store = instrumentStore(rawStore, metrics);
    compactor = new Compactor({ store, clock, retentionMs: COMPACTION_RETENTION_MS, logger: componentLogger(logger, 'compactor') });
    compactor.start();
    eventExpiry = new EventExpiry({ store, clock, ttlMs: flags.eventTtlMs, logger: componentLogger(logger, 'event-expiry') });
    eventExpiry.start();
    const services = createServiceAllocation({
      store, clock, logger: componentLogger(logger, 'service-allocation'),
      clusterIPRange: parseServiceCidr(flags.serviceClusterIpRange), nodePortRange: parsePortRange(flags.serviceNodePortRange),
    });
    const serviceHooks = serviceHooksFor(services.hooks);
    // Priority admission reads PriorityClasses through the registry it is part of.
    const priorityHooks = priorityHooksFor(() => registry?.lookup('scheduling.k8s.io', 'v1', 'priorityclasses'));
    // ServiceAccount admission (the token volume) needs what the controllers make: each namespace's
    // `default` ServiceAccount and its kube-root-ca.crt. Without them it is off, as if disabled.
    const accountHooks = flags.controllers
      ? serviceAccountHooksFor({ accounts: () => registry?.lookup('', 'v1', 'serviceaccounts') })
      : () => undefined;
    registry = new ApiRegistry({
      store, kinds: builtinKinds, clock, fieldValidator: new FieldValidator(),
      writeHooks: (info) => serviceHooks(info) ?? chainWriteHooks([accountHooks(info), priorityHooks(info)]) ?? namespaceLifecycleHooks(info),
    });
    await ensureNamespaces(registry);
    await ensureSystemPriorityClasses(registry);
    repairing = services.repair.run(SERVICE_ALLOCATION_REPAIR_MS, repairStop.signal);
    const wildcard = flags.address === '0.0.0.0' || flags.address === '::';
    const kubernetesService = {
      registry, clusterIP: services.firstClusterIP, port: flags.port,
      endpointAddress: flags.advertiseAddress ?? (wildcard ? '127.0.0.1' : flags.address),
    };
    try {
      await ensureKubernetesService(kubernetesService);
    } catch (error) {
      // E.g. another Service took the first address after `kubernetes` was deleted: serve anyway.
      if (!(error instanceof K8tsError)) throw error;
      logger.warn({ err: error }, 'cannot create the kubernetes service');
    }
    // Checked again every 10 s, as upstream: a deleted `kubernetes` Service comes back.
    keepingKubernetesService = keepKubernetesService(kubernetesService, KUBERNETES_SERVICE_INTERVAL_MS, repairStop.signal,
      (error) => logger.debug({ err: error }, 'cannot restore the kubernetes service'));

    // In-cluster clients reach the server as the `kubernetes` Service (its cluster IP, or
    // kubernetes.default.svc...): the serving certificate names it, as upstream's does.
    const inCluster = [services.firstClusterIP, 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
    const hosts = [
      hostname(), ...(flags.advertiseAddress ? [flags.advertiseAddress] : []), ...(flags.address !== '0.0.0.0' && flags.address !== '::' ? [flags.address] : []), ...inCluster,
    ];
    const pki = await ensurePki({ dir: join(flags.dataDir, 'pki'), hosts, clock });
    const token = await ensureAdminToken(join(flags.dataDir, 'token'));
    // `kubectl create token`: JWTs signed with DATA_DIR/pki/sa.key, accepted beside the admin token.
    const serviceAccountTokens = new ServiceAccountTokens({ ...(await ensureServiceAccountKey(join(flags.dataDir, 'pki'))), clock });
    const storeForReadiness = store;
    const accountTokens = new ServiceAccountAuthenticator({
      tokens: serviceAccountTokens, lookup: registryLookup(registry), clock, logger: componentLogger(logger, 'serviceaccount-tokens'),
    });
    const authenticator = new UnionAuthenticator({
      authenticators: [new TokenAuthenticator({ tokens: new Map([[token, { name: 'k8ts-admin', groups: ['system:masters'] }]]) }), accountTokens],
    });
    api = createApiServer({
      registry,
      openapi: new OpenApiDocuments({ kinds: builtinKinds.map((kind) => kind.info) }),
      tls: { key: pki.key, cert: pki.cert },
      authenticator,
      serviceAccountTokens,
      tokenReviewer: new TokenReviewer({ authenticator, serviceAccounts: accountTokens, apiAudiences: serviceAccountTokens.apiAudiences }),
      // Agents know the admin token (the embedded one is started with it), not ServiceAccount tokens.
      agentToken: token,
      logger,
      metrics,
      clock,
      readiness: async () => {
        await storeForReadiness.currentRevision();
      },
    });
    await listen(api, flags);
    // The gateway first: the Gateway status controller reads its listener health (bound ports).
    if (flags.gateway) {
      gateway = await startGateway({ clients: new InProcessClientSet({ registry, clock }), flags: flags.gateway, clock, logger, logLevel: flags.logLevel });
    }
    if (flags.controllers || flags.agent) {
      const served = registry;
      workloads = await startWorkloads({
        clientsFor: (fieldManager) => new InProcessClientSet({ registry: served, clock, fieldManager, tokens: serviceAccountTokens }), flags, clock, logger, token, tls: { key: pki.key, cert: pki.cert },
        caCert: pki.caCert,
        ...(gateway !== undefined ? { listenerHealth: gateway.listenerHealth } : {}),
      });
    }

    const kubeconfig = join(flags.dataDir, 'kubeconfig');
    const server = localServerUrl(flags.address, flags.port);
    await writeKubeconfig(kubeconfig, { server, caCert: pki.caCert, token });
    logger.info({ server, store: flags.store.kind, dataDir: flags.dataDir }, 'k8ts server is serving');
    io.stdout.write(`export KUBECONFIG=${kubeconfig}\n`);
    return { stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** Runs `k8ts server <args>` until SIGTERM/SIGINT; resolves with the process exit code. */
export async function runServerCommand(args: readonly string[], io: CommandIo): Promise<number> {
  let flags: ServerFlags | undefined;
  try {
    flags = parseServerFlags(args, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`k8ts server: ${error.message}\nRun 'k8ts server --help' for usage.\n`);
    return 2;
  }
  if (!flags) {
    io.stdout.write(SERVER_USAGE);
    return 0;
  }
  const logger = createLogger({ level: flags.logLevel });
  // Listen for signals before starting, so a SIGTERM during start-up still shuts down cleanly.
  const signal = waitForSignal();
  let running: RunningServer;
  try {
    running = await startServer(flags, logger, systemClock, io);
  } catch (error) {
    const message = error instanceof StartupError ? error.message : `unexpected error while starting: ${(error as Error).message}`;
    if (!(error instanceof StartupError)) logger.error({ err: error }, 'start-up failed');
    io.stderr.write(`k8ts server: ${message}\n`);
    return 1;
  }
  const received = await signal;
  logger.info({ signal: received }, 'shutting down');
  // A second signal while draining means "now".
  const hurry = waitForSignal().then(() => process.exit(1));
  void hurry;
  await running.stop();
  logger.info('stopped');
  return 0;
}
