// The images of the tests and of the README demo, built from the host's busybox-static (no Docker,
// no internet):
//   httpd — busybox with every applet linked, /www/index.html and a CGI /cgi-bin/hostname;
//           entrypoint busybox, cmd `httpd -f -v -p 8080 -h /www`.
//   shell — the same filesystem (so the same layer digest: pulled once); cmd is a shell that
//           waits until SIGTERM, so a pod without a command stays up and stops at once.
//   pause — the sandbox holder: pause.c built `gcc -static -Os -s` when gcc exists, else
//           busybox `sleep` (which does not reap zombies; fine for pods without a shared PID ns).
// Everything is reproducible: the same host binaries give the same digests.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { access, chmod, copyFile, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildOciLayout, makeLayer, type OciLayout } from './oci-layout.js';
import { pushOciLayout } from './registry-push.js';

const execFileAsync = promisify(execFile);

export const BUSYBOX = '/bin/busybox';
export const TEST_IMAGE_TAG = 'v1';
export const TEST_IMAGE_NAMES = ['httpd', 'shell', 'pause'] as const;
export type TestImageName = (typeof TEST_IMAGE_NAMES)[number];
export type TestImages = Readonly<Record<TestImageName, string>>;

/** What the httpd image serves at `/`. Tests compare against it. */
export const HTTPD_INDEX = 'hello from k8ts httpd\n';
export const HTTPD_PORT = 8080;

const PAUSE_SOURCE = resolve(import.meta.dirname, 'pause', 'pause.c');
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
const GROUP = 'root:x:0:\nnogroup:x:65534:\n';
const HOSTNAME_CGI = '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n"\nhostname\n';
// sh as PID 1 ignores SIGTERM unless it traps it; `wait` returns when the trapped signal arrives.
const SHELL_CMD = ['/bin/sh', '-c', "trap 'exit 0' TERM INT; sleep 2147483647 & wait"];

async function hasGcc(): Promise<boolean> {
  try {
    await execFileAsync('gcc', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** / with /bin/busybox, a link per applet at busybox's own install paths, /etc, /tmp, /www. */
async function busyboxRootfs(root: string): Promise<void> {
  for (const dir of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'root', 'tmp', 'proc', 'sys', 'dev', 'www/cgi-bin']) {
    await mkdir(join(root, dir), { recursive: true });
  }
  await copyFile(BUSYBOX, join(root, 'bin/busybox'));
  await chmod(join(root, 'bin/busybox'), 0o755);
  const { stdout } = await execFileAsync(BUSYBOX, ['--list-full']);
  for (const path of stdout.split('\n').map((line) => line.trim()).filter(Boolean)) {
    if (path === 'bin/busybox') continue;
    await mkdir(join(root, dirname(path)), { recursive: true });
    await symlink('/bin/busybox', join(root, path)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  await writeFile(join(root, 'etc/passwd'), PASSWD);
  await writeFile(join(root, 'etc/group'), GROUP);
  await writeFile(join(root, 'www/index.html'), HTTPD_INDEX);
  await writeFile(join(root, 'www/cgi-bin/hostname'), HOSTNAME_CGI);
  await chmod(join(root, 'www/cgi-bin/hostname'), 0o755);
  await chmod(join(root, 'tmp'), 0o1777);
  await chmod(join(root, 'root'), 0o700);
  for (const dir of ['bin', 'sbin', 'usr', 'usr/bin', 'usr/sbin', 'etc', 'proc', 'sys', 'dev', 'www', 'www/cgi-bin']) {
    await chmod(join(root, dir), 0o755);
  }
  for (const file of ['etc/passwd', 'etc/group', 'www/index.html']) await chmod(join(root, file), 0o644);
}

async function pauseRootfs(root: string, work: string): Promise<{ entrypoint: string[] }> {
  await mkdir(root, { recursive: true });
  await chmod(root, 0o755);
  if (await hasGcc()) {
    await execFileAsync('gcc', ['-static', '-Os', '-s', '-o', join(root, 'pause'), PAUSE_SOURCE], { cwd: work });
    await chmod(join(root, 'pause'), 0o755);
    return { entrypoint: ['/pause'] };
  }
  await mkdir(join(root, 'bin'), { recursive: true, mode: 0o755 });
  await copyFile(BUSYBOX, join(root, 'bin/busybox'));
  await chmod(join(root, 'bin/busybox'), 0o755);
  return { entrypoint: ['/bin/busybox', 'sleep', '2147483647'] };
}

/** Builds the three layouts under `workDir` (created if needed) and returns them by name. */
export async function buildTestImages(workDir: string): Promise<Record<TestImageName, OciLayout>> {
  await mkdir(workDir, { recursive: true });
  await access(BUSYBOX).catch(() => {
    throw new Error(`${BUSYBOX} is missing: install the Debian package busybox-static`);
  });
  const rootfs = join(workDir, 'rootfs');
  await rm(rootfs, { recursive: true, force: true });
  await busyboxRootfs(join(rootfs, 'busybox'));
  const pause = await pauseRootfs(join(rootfs, 'pause'), workDir);
  const busyboxLayer = await makeLayer(join(rootfs, 'busybox'));
  const layout = (name: TestImageName, layer: typeof busyboxLayer, config: Parameters<typeof buildOciLayout>[0]['config']) =>
    buildOciLayout({ layer, outDir: join(workDir, 'oci', name), tag: TEST_IMAGE_TAG, config, createdBy: `k8ts scripts/images ${name}` });
  const result = {
    httpd: await layout('httpd', busyboxLayer, {
      Entrypoint: ['/bin/busybox'],
      Cmd: ['httpd', '-f', '-v', '-p', String(HTTPD_PORT), '-h', '/www'],
      ExposedPorts: { [`${HTTPD_PORT}/tcp`]: {} },
    }),
    shell: await layout('shell', busyboxLayer, { Cmd: SHELL_CMD }),
    pause: await layout('pause', await makeLayer(join(rootfs, 'pause')), { Entrypoint: pause.entrypoint }),
  };
  await rm(rootfs, { recursive: true, force: true });
  return result;
}

/**
 * The layouts from a cache under the temp dir, keyed by everything they are built from (busybox,
 * pause.c, whether gcc exists, this builder's source), built on first use. Every test file starts
 * its own containerd env; this saves each one the build. Concurrent builders each build into
 * their own dir and rename it into place; the first one wins, the rest use it.
 */
export async function cachedTestImages(cacheRoot = tmpdir()): Promise<Record<TestImageName, OciLayout>> {
  const hash = createHash('sha256');
  for (const file of [BUSYBOX, PAUSE_SOURCE, resolve(import.meta.dirname, 'test-images.ts'), resolve(import.meta.dirname, 'oci-layout.ts')]) {
    hash.update(await readFile(file).catch(() => Buffer.alloc(0)));
  }
  hash.update(String(await hasGcc()));
  const dir = join(cacheRoot, `k8ts-test-images-${hash.digest('hex').slice(0, 16)}`);
  const manifestFile = join(dir, 'layouts.json');
  const cached = await readFile(manifestFile, 'utf8').catch(() => undefined);
  if (cached !== undefined) return JSON.parse(cached) as Record<TestImageName, OciLayout>;
  const building = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    await buildTestImages(building);
    // Atomic: a dir at the final name is always complete. If another builder got there first, keep theirs.
    await rename(building, dir).catch(() => undefined);
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  const layouts = {} as Record<TestImageName, OciLayout>;
  for (const name of TEST_IMAGE_NAMES) layouts[name] = await readLayout(join(dir, 'oci', name));
  await writeFile(`${manifestFile}.tmp`, JSON.stringify(layouts)).then(() => rename(`${manifestFile}.tmp`, manifestFile)).catch(() => undefined);
  return layouts;
}

/** Reads back a layout written by buildOciLayout (one manifest, one tag). */
async function readLayout(dir: string): Promise<OciLayout> {
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as {
    manifests: [{ mediaType: string; digest: string; size: number; annotations: Record<string, string> }];
  };
  const { mediaType, digest, size, annotations } = index.manifests[0];
  const manifest = JSON.parse(await readFile(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), 'utf8')) as Pick<OciLayout, 'config' | 'layers'>;
  return { dir, tag: annotations['org.opencontainers.image.ref.name'] ?? TEST_IMAGE_TAG, manifest: { mediaType, digest, size }, config: manifest.config, layers: manifest.layers };
}

/**
 * Builds the test images (into `workDir`, else from the cache) and pushes them to `registry`
 * (host:port, plain HTTP). Returns the references, e.g. { httpd: '127.0.0.1:5000/k8ts/httpd:v1', ... }.
 */
export async function pushTestImages(registry: string, workDir?: string): Promise<TestImages> {
  const layouts = workDir === undefined ? await cachedTestImages() : await buildTestImages(workDir);
  const refs: Partial<Record<TestImageName, string>> = {};
  for (const name of TEST_IMAGE_NAMES) refs[name] = await pushOciLayout(layouts[name], registry, `k8ts/${name}`);
  return refs as TestImages;
}
