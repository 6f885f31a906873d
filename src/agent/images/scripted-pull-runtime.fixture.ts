// Test runtime for image pulls: the FakeRuntime, but one that "really" pulls (Pulling/Pulled
// Events), records every pull with its credentials, knows which images are present, and fails
// pulls as scripted (a registry that is down, or that wants a password).
import type { ImageAuth, ImageInfo, RuntimeCapabilities } from '../runtime/runtime.js';
import { FakeRuntime, type FakeRuntimeOptions } from '../runtime/fake/fake-runtime.js';

export interface RecordedPull {
  readonly image: string;
  readonly auth?: ImageAuth;
}

export class ScriptedPullRuntime extends FakeRuntime {
  override readonly capabilities: RuntimeCapabilities = { podNetworking: true, pullsImages: true };
  readonly pulls: RecordedPull[] = [];
  /** Images on the node (imageStatus); a successful pull adds its image. */
  readonly present = new Map<string, ImageInfo>();
  /** Scripted failures: image -> [message, remaining count]. */
  private readonly failures = new Map<string, { message: string; remaining: number }>();
  /** image -> the only username:password the registry accepts. */
  private readonly required = new Map<string, string>();
  sizeBytes = 1234;
  /** Called at the start of every pull (tests advance a FakeClock here: the pull "takes" time). */
  onPull: (() => void) | undefined;

  constructor(options: FakeRuntimeOptions = {}) {
    super(options);
  }

  /** The next `times` pulls of `image` fail with `message`. */
  failPulls(image: string, message: string, times = Number.POSITIVE_INFINITY): void {
    this.failures.set(image, { message, remaining: times });
  }

  /** Pulls of `image` succeed only with these credentials. */
  requireCredentials(image: string, username: string, password: string): void {
    this.required.set(image, `${username}:${password}`);
  }

  override async pullImage(image: string, options?: { readonly auth?: ImageAuth }): Promise<ImageInfo> {
    this.pulls.push({ image, ...(options?.auth ? { auth: options.auth } : {}) });
    this.onPull?.();
    const failure = this.failures.get(image);
    if (failure && failure.remaining > 0) {
      failure.remaining--;
      throw new Error(failure.message);
    }
    const required = this.required.get(image);
    if (required !== undefined && `${options?.auth?.username ?? ''}:${options?.auth?.password ?? ''}` !== required) {
      throw new Error(`failed to resolve reference "${image}": pulling from host: 401 Unauthorized (user ${options?.auth?.username ?? 'anonymous'})`);
    }
    await super.pullImage(image);
    const info: ImageInfo = { imageRef: `sha256:${Buffer.from(image).toString('hex').slice(0, 12)}`, sizeBytes: this.sizeBytes };
    this.present.set(image, info);
    return info;
  }

  override imageStatus(image: string): Promise<ImageInfo | undefined> {
    return Promise.resolve(this.present.get(image));
  }
}
