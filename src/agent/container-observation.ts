// What the status needs of one container (pod-status.ts's ContainerObservation), gathered from the
// agent's memory of the pod: its runtime attempts, the waiting reason the last pass left, the image
// it resolved, and the probe results.
import type { Container } from 'kubernetes-types/core/v1.js';
import type { PodObject } from './object-types.js';
import type { ContainerObservation } from './pod-status.js';
import type { ContainerStatus } from './runtime/runtime.js';
import { isSidecar } from './sidecar-plan.js';

export interface ObservationSource {
  readonly current?: ContainerStatus;
  readonly previous?: ContainerStatus;
  readonly waiting?: { readonly reason: string; readonly message: string };
  /** The image reference the last start resolved. */
  readonly imageRef?: string;
  readonly started: (container: Container, containerId: string) => boolean;
  readonly ready: (container: Container, containerId: string) => boolean;
}

export function observeContainer(pod: PodObject, container: Container, isInit: boolean, source: ObservationSource): ContainerObservation {
  const { current, previous, waiting } = source;
  const known = (isInit ? pod.status?.initContainerStatuses : pod.status?.containerStatuses)?.find((s) => s.name === container.name);
  const running = current?.state === 'running';
  const imageId = source.imageRef ?? (known?.imageID || undefined) ?? (current ? current.image : undefined);
  return {
    name: container.name,
    image: container.image ?? '',
    ...(imageId ? { imageId } : {}),
    ...(current ? { current } : {}),
    ...(previous ? { previous } : {}),
    ...(waiting ? { waiting } : {}),
    restartCount: current?.attempt ?? known?.restartCount ?? 0,
    // A sidecar is ready by its probes, as an app container; a regular init container's readiness is its exit.
    ready: (!isInit || isSidecar(container)) && running && source.ready(container, current.id),
    started: running && source.started(container, current.id),
  };
}
