// Making sure a container's image is on the node before it is created: kubelet's
// imageManager.EnsureImageExists, with its policies, Events, texts and back-off.
//   Always        pull on every container start
//   IfNotPresent  runtime.imageStatus first; present -> Event Pulled `Container image "x" already present on machine`
//   Never         present -> the same Event; absent -> ErrImageNeverPull
// (unset: upstream's default for the image, `latest`/untagged -> Always, else IfNotPresent.)
// A failed pull is ErrImagePull (the runtime's error as the message) and starts a back-off per
// (pod, image): 10 s doubling to 300 s, the same flowcontrol.Backoff kubelet uses. While it lasts
// the container waits with ImagePullBackOff, `Back-off pulling image "x": ErrImagePull: <err>`,
// and the result carries retryAt so the pod sync comes back when the next pull is allowed.
// Worked example (pull fails each time): t0 pull fails (ErrImagePull, retryAt t0+10s); t0+1..9
// ImagePullBackOff; t0+10 pull again, fails (retryAt t0+30s); then 40 s, 80 s, ... 300 s.
import type { Container } from 'kubernetes-types/core/v1.js';
import { defaultImagePullPolicy } from '../../api/defaults/pod-spec.js';
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { Clock } from '../../lib/clock.js';
import { CrashLoopBackoff } from '../backoff.js';
import type { PodObject } from '../object-types.js';
import type { ContainerRuntime, ImageAuth, ImageInfo } from '../runtime/runtime.js';
import { DockerKeyring, dockerConfigOf } from './docker-keyring.js';
import { parseImageReference } from './image-reference.js';
import { missingSecretsMessage, podPullSecrets, type PullSecretSource } from './pull-secrets.js';

export type ImageFailureReason = 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName' | 'ImageInspectError';

export type EnsureImageResult =
  | { readonly ok: true; readonly imageRef: string }
  | {
    readonly ok: false;
    readonly reason: ImageFailureReason;
    /** The container's waiting message. */
    readonly message: string;
    /** When a pull may be tried again (ms since epoch), for the pod sync's wake-up. */
    readonly retryAt?: number;
  };

export interface ImagePullerOptions {
  readonly runtime: ContainerRuntime;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
  readonly secrets: PullSecretSource;
  /** Pull back-off (default 10 s doubling to 300 s). */
  readonly backoff?: CrashLoopBackoff;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Go's time.Duration text after Truncate(time.Millisecond): `523ms`, `1.234s`, `2m3.5s`. */
export function formatPullDuration(ms: number): string {
  const whole = Math.max(0, Math.floor(ms));
  if (whole === 0) return '0s';
  if (whole < 1000) return `${whole}ms`;
  const minutes = Math.floor(whole / 60_000);
  const seconds = ((whole % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, '');
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}

/** utilerrors.NewAggregate's text: one error as is, several as `[a, b]`. */
function aggregate(errors: readonly unknown[]): Error {
  if (errors.length === 1) return errors[0] instanceof Error ? errors[0] : new Error(String(errors[0]));
  return new Error(`[${errors.map(messageOf).join(', ')}]`);
}

export class ImagePuller {
  private readonly options: ImagePullerOptions;
  private readonly backoff: CrashLoopBackoff;
  /** Per back-off key: when the last pull failed and how (the BackOff message wraps it). */
  private readonly failures = new Map<string, { readonly at: number; readonly message: string }>();

  constructor(options: ImagePullerOptions) {
    this.options = options;
    this.backoff = options.backoff ?? new CrashLoopBackoff();
  }

  async ensureImage(pod: PodObject, container: Container): Promise<EnsureImageResult> {
    const { runtime, recorder } = this.options;
    const image = container.image ?? '';
    if (!parseImageReference(image)) {
      const message = `Failed to apply default image tag "${image}": couldn't parse image reference "${image}": invalid reference format`;
      recorder.event(pod, 'Warning', 'InspectFailed', message);
      return { ok: false, reason: 'InvalidImageName', message };
    }
    const policy = container.imagePullPolicy ?? defaultImagePullPolicy(image);
    let present: ImageInfo | undefined;
    if (policy !== 'Always') {
      try {
        present = await runtime.imageStatus(image);
      } catch (error) {
        const message = `Failed to inspect image "${image}": ${messageOf(error)}`;
        recorder.event(pod, 'Warning', 'InspectFailed', message);
        return { ok: false, reason: 'ImageInspectError', message };
      }
      if (present) {
        recorder.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
        return { ok: true, imageRef: present.imageRef };
      }
      if (policy === 'Never') {
        const message = `Container image "${image}" is not present with pull policy of Never`;
        recorder.event(pod, 'Warning', 'ErrImageNeverPull', message);
        return { ok: false, reason: 'ErrImageNeverPull', message };
      }
    }
    return this.pullWithBackoff(pod, image);
  }

  private async pullWithBackoff(pod: PodObject, image: string): Promise<EnsureImageResult> {
    const { recorder, clock } = this.options;
    const now = clock.now();
    this.collectGarbage(now.getTime());
    // `#` cannot occur in an image reference, so no key is a prefix of another (forgetPrefix).
    const key = `${pod.metadata?.uid ?? ''}/${image}#`;
    const failure = this.failures.get(key);
    if (failure && this.backoff.isInBackOffSince(key, new Date(failure.at), now)) {
      const message = `Back-off pulling image "${image}"`;
      recorder.event(pod, 'Normal', 'BackOff', message);
      const retryAt = this.backoff.readyAt(key, new Date(failure.at));
      return { ok: false, reason: 'ImagePullBackOff', message: `${message}: ${failure.message}`, ...(retryAt !== undefined ? { retryAt } : {}) };
    }
    try {
      return { ok: true, imageRef: await this.pull(pod, image) };
    } catch (error) {
      const message = messageOf(error);
      recorder.event(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
      const at = clock.now();
      this.backoff.next(key, at);
      this.failures.set(key, { at: at.getTime(), message: `ErrImagePull: ${message}` });
      const retryAt = this.backoff.readyAt(key, at);
      return { ok: false, reason: 'ErrImagePull', message, ...(retryAt !== undefined ? { retryAt } : {}) };
    }
  }

  private async pull(pod: PodObject, image: string): Promise<string> {
    const { runtime, recorder, clock } = this.options;
    if (!runtime.capabilities.pullsImages) {
      const { imageRef } = await runtime.pullImage(image);
      recorder.event(pod, 'Normal', 'Pulled', `Container image "${image}" recorded, not pulled: the ${runtime.name} runtime does not pull images`);
      return imageRef;
    }
    recorder.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
    const begin = clock.now().getTime();
    const pulled = await this.pullWithCredentials(image, await this.credentials(pod, image));
    const took = formatPullDuration(clock.now().getTime() - begin);
    const size = pulled.sizeBytes !== undefined ? ` Image size: ${pulled.sizeBytes} bytes.` : '';
    // Pulls are not queued here, so the time including waiting is the pull time.
    recorder.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting).${size}`);
    return pulled.imageRef;
  }

  /** Matching credentials of the pod's pull secrets (an invalid secret fails the pull, as upstream). */
  private async credentials(pod: PodObject, image: string): Promise<ImageAuth[]> {
    const { secrets, missing } = await podPullSecrets(pod, this.options.secrets);
    if (missing.length > 0) this.options.recorder.event(pod, 'Warning', 'FailedToRetrieveImagePullSecret', missingSecretsMessage(missing));
    const keyring = new DockerKeyring();
    for (const secret of secrets) {
      const config = dockerConfigOf(secret);
      if (config) keyring.add(config);
    }
    return keyring.lookup(image);
  }

  /** Anonymous without credentials; else each credential in turn until one works (kubelet's PullImage). */
  private async pullWithCredentials(image: string, auths: readonly ImageAuth[]): Promise<ImageInfo> {
    const { runtime } = this.options;
    if (auths.length === 0) return runtime.pullImage(image);
    const errors: unknown[] = [];
    for (const auth of auths) {
      try {
        return await runtime.pullImage(image, { auth });
      } catch (error) {
        errors.push(error);
      }
    }
    throw aggregate(errors);
  }

  /** Drops failures older than twice the maximum delay (kubelet's backOff.GC): they no longer count. */
  private collectGarbage(now: number): void {
    for (const [key, failure] of this.failures) {
      if (now - failure.at > 2 * 300_000) {
        this.failures.delete(key);
        this.backoff.forgetPrefix(key);
      }
    }
  }
}
