// Finds what kubectl exec / port-forward address (namespace/pod[/container]) among the runtime's
// sandboxes and containers, by the labels the agent put on them. Answers carry kubelet's texts so
// the API server can pass them on.
import { NotFoundError } from '../../lib/errors.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL } from '../runtime-labels.js';
import type { ContainerRuntime, ContainerStatus, SandboxStatus } from '../runtime/runtime.js';

export class PodLocator {
  readonly #runtime: ContainerRuntime;

  constructor(options: { readonly runtime: ContainerRuntime }) {
    this.#runtime = options.runtime;
  }

  /** The pod's ready sandbox (the newest when a pod was re-created under the same name). */
  async sandbox(namespace: string, pod: string): Promise<SandboxStatus> {
    const matches = (await this.#runtime.listPodSandboxes())
      .filter((s) => s.state === 'ready' && s.labels[POD_NAMESPACE_LABEL] === namespace && s.labels[POD_NAME_LABEL] === pod)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const found = matches[0];
    if (!found) throw new NotFoundError(`pod "${pod}" in namespace "${namespace}" is not running on this node`);
    return found;
  }

  /** The running container of that name in the pod's ready sandbox. */
  async runningContainer(namespace: string, pod: string, container: string): Promise<ContainerStatus> {
    const sandbox = await this.sandbox(namespace, pod);
    const running = (await this.#runtime.listContainers({ sandboxId: sandbox.id }))
      .filter((c) => c.state === 'running' && (c.labels[CONTAINER_NAME_LABEL] ?? c.name) === container)
      .sort((a, b) => b.attempt - a.attempt)[0];
    if (!running) throw new NotFoundError(`container "${container}" in pod "${pod}" is not running`);
    return running;
  }
}
