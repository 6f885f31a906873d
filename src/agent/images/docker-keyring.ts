// Registry credentials from image pull secrets, matched to an image the way kubelet's
// credentialprovider BasicDockerKeyring does:
// - a secret of type kubernetes.io/dockerconfigjson contributes `.dockerconfigjson`'s `auths`;
//   kubernetes.io/dockercfg contributes `.dockercfg` (the same map without `auths`); other secrets
//   contribute nothing. An entry's `auth` (base64 "user:password") overrides username/password.
// - a key is a registry URL with optional scheme and path: `https://index.docker.io/v1/`,
//   `127.0.0.1:5000`, `*.example.com/team`. The scheme goes, a leading /v1/ or /v2/ is the root.
// - a key matches an image when the port is equal, the host has as many dot-parts with each part
//   matching as a glob (`*.example.com` matches `r.example.com`, not `example.com`), and the
//   image's repository path starts with the key's path.
// - Docker Hub has several names (docker.io, index.docker.io, registry-1.docker.io): keys naming
//   any of them match images without a registry (`busybox` is docker.io/library/busybox).
// - more specific keys come first (reverse sorted), and every matching credential is returned in
//   that order; the puller tries each in turn.
import type { SecretObject } from '../object-types.js';
import type { ImageAuth } from '../runtime/runtime.js';
import { DOCKER_HUB, isDockerHub, parseImageReference, repositoryName } from './image-reference.js';

export const DOCKER_CONFIG_JSON_TYPE = 'kubernetes.io/dockerconfigjson';
export const DOCKERCFG_TYPE = 'kubernetes.io/dockercfg';

export interface DockerConfigEntry {
  readonly username?: string;
  readonly password?: string;
  readonly auth?: string;
}

/** A pull secret whose content is not a docker config (the pull fails with this message). */
export class InvalidPullSecretError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidPullSecretError';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function secretValue(secret: SecretObject, key: string): string | undefined {
  const data = secret.data?.[key];
  if (data !== undefined) return Buffer.from(data, 'base64').toString('utf8');
  return secret.stringData?.[key];
}

function entryOf(registry: string, value: unknown): DockerConfigEntry {
  if (!isObject(value)) throw new InvalidPullSecretError(`invalid docker config entry for "${registry}"`);
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  let username = str(value.username);
  let password = str(value.password);
  const auth = str(value.auth);
  if (auth !== undefined) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new InvalidPullSecretError(`invalid auth for "${registry}": expected base64 of user:password`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  return { ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}), ...(auth !== undefined ? { auth } : {}) };
}

/**
 * The registry -> credential map of a pull secret; undefined when the secret is not of a docker
 * config type (or lacks its key), as kubelet skips those. Throws InvalidPullSecretError on bad JSON.
 */
export function dockerConfigOf(secret: SecretObject): Map<string, DockerConfigEntry> | undefined {
  const name = secret.metadata?.name ?? '';
  let text: string | undefined;
  let auths: (parsed: unknown) => unknown;
  if (secret.type === DOCKER_CONFIG_JSON_TYPE) {
    text = secretValue(secret, '.dockerconfigjson');
    auths = (parsed) => (isObject(parsed) ? parsed.auths ?? {} : parsed);
  } else if (secret.type === DOCKERCFG_TYPE) {
    text = secretValue(secret, '.dockercfg');
    auths = (parsed) => parsed;
  } else {
    return undefined;
  }
  if (text === undefined || text === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidPullSecretError(`invalid docker config in secret "${name}": ${(error as Error).message}`, { cause: error });
  }
  const map = auths(parsed);
  if (!isObject(map)) throw new InvalidPullSecretError(`invalid docker config in secret "${name}": auths is not an object`);
  const out = new Map<string, DockerConfigEntry>();
  for (const [registry, value] of Object.entries(map)) out.set(registry, entryOf(registry, value));
  return out;
}

interface ParsedKey {
  readonly host: string;
  readonly port: string;
  readonly path: string;
}

/** `https://index.docker.io/v1/` -> docker.io; `127.0.0.1:5000/team` -> 127.0.0.1:5000/team. */
function normalizeKey(registry: string): string | undefined {
  const value = /^https?:\/\//.test(registry) ? registry : `https://${registry}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  let path = decodeURIComponent(url.pathname);
  if (path.startsWith('/v2/') || path.startsWith('/v1/')) path = path.slice(3);
  const host = isDockerHub(url.hostname) && url.port === '' ? DOCKER_HUB : url.host;
  return path !== '' && path !== '/' ? host + path : host;
}

function splitKey(key: string): ParsedKey {
  const slash = key.indexOf('/');
  const hostPort = slash >= 0 ? key.slice(0, slash) : key;
  const path = slash >= 0 ? key.slice(slash) : '';
  const colon = hostPort.lastIndexOf(':');
  return colon >= 0
    ? { host: hostPort.slice(0, colon), port: hostPort.slice(colon + 1), path }
    : { host: hostPort, port: '', path };
}

/** Go's filepath.Match for one host part (no separators inside): `*`, `?` and `[...]`. */
function globMatch(glob: string, text: string): boolean {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] ?? '';
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) return false;
      const body = glob.slice(i + 1, close).replace(/^\^/, '!').replace(/\\/g, '\\\\');
      source += body.startsWith('!') ? `[^${body.slice(1)}]` : `[${body}]`;
      i = close;
    } else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  try {
    return new RegExp(`^${source}$`, 'i').test(text);
  } catch {
    return false;
  }
}

function keyMatches(key: string, target: string): boolean {
  const glob = splitKey(key);
  const image = splitKey(target);
  if (glob.port !== image.port) return false;
  const globParts = glob.host.split('.');
  const imageParts = image.host.split('.');
  if (globParts.length !== imageParts.length) return false;
  if (!image.path.startsWith(glob.path)) return false;
  return globParts.every((part, i) => globMatch(part, imageParts[i] ?? ''));
}

export class DockerKeyring {
  private readonly creds = new Map<string, ImageAuth[]>();

  /** Adds one secret's registries (in the secret's order; several secrets append). */
  add(config: ReadonlyMap<string, DockerConfigEntry>): void {
    for (const [registry, entry] of config) {
      const key = normalizeKey(registry);
      if (key === undefined) continue;
      const serverAddress = splitKey(key).port === '' ? splitKey(key).host : `${splitKey(key).host}:${splitKey(key).port}`;
      const auth: ImageAuth = {
        serverAddress,
        ...(entry.username !== undefined ? { username: entry.username } : {}),
        ...(entry.password !== undefined ? { password: entry.password } : {}),
        ...(entry.auth !== undefined ? { auth: entry.auth } : {}),
      };
      this.creds.set(key, [...(this.creds.get(key) ?? []), auth]);
    }
  }

  get size(): number {
    return this.creds.size;
  }

  /** Every credential whose registry key matches the image, most specific key first. */
  lookup(image: string): ImageAuth[] {
    const ref = parseImageReference(image);
    if (!ref) return [];
    const target = repositoryName(ref);
    const index = [...this.creds.keys()].sort().reverse();
    return index.filter((key) => keyMatches(key, target)).flatMap((key) => this.creds.get(key) ?? []);
  }
}
