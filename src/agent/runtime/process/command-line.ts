// The host command line for a container: its command, wrapped so that it runs in the pod's
// network namespace and sees its volumes at their container paths.
//
// Volumes: a host process cannot see a container path unless something puts the volume there. As
// root the command runs in a mount namespace of its own and a tiny sh prologue bind-mounts each
// volume's host path onto its container path there (read-only mounts are remounted ro), then execs
// the command; nothing is mounted on the host itself. In a pod network namespace, `ip netns exec`
// already gives the command a new mount namespace (slave to the host's, so nothing mounted in it
// propagates back); only host-network pods need `unshare --mount --propagation private` for one.
// A missing mount point is created (mkdir -p, or an empty file for a file volume) on the host file
// system and stays there: host processes share the host's root file system, which is the honest
// limit of this runtime. Without root, mounts are not remapped; each volume is announced in
// `K8TS_VOLUME_<PATH>` env vars (path upper-cased, non-alphanumerics as `_`) instead.
//
// Each program in the prologue is an exec per container start, and a burst of pods starts many:
// existence is tested with sh builtins before mkdir(8) runs, the parent path is computed here (no
// dirname(8)), and mount(8) binds and remounts read-only in one run (`--bind -o ro`, util-linux
// 2.27+).
import path from 'node:path';
import type { Mount } from '../runtime.js';

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function mountScript(mounts: readonly Mount[]): string {
  const steps = mounts.map((m) => {
    const host = shellQuote(m.hostPath);
    const target = shellQuote(m.containerPath);
    const parent = shellQuote(path.posix.dirname(m.containerPath));
    const prepare = `if [ -d ${host} ]; then [ -d ${target} ] || mkdir -p ${target}; else { [ -d ${parent} ] || mkdir -p ${parent}; } && { [ -e ${target} ] || : > ${target}; }; fi`;
    const bind = `mount --bind${m.readOnly ? ' -o ro' : ''} ${host} ${target}`;
    return `${prepare} && ${bind} || { echo "k8ts: cannot mount ${m.hostPath.replace(/["'$`\\]/g, '')} at ${m.containerPath.replace(/["'$`\\]/g, '')}" >&2; exit 126; }`;
  });
  // fd 3: tell the shim the mounts are in place (it reports the start only then), then close it.
  return `${steps.join('\n')}\necho ready >&3; exec 3>&-\nexec "$@"`;
}

export function volumeEnv(mounts: readonly Mount[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of mounts) env[`K8TS_VOLUME_${m.containerPath.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] = m.hostPath;
  return env;
}

/** Whether the command line has the mount prologue (which reports readiness on fd 3). */
export function hasMountPrologue(options: { readonly mounts: readonly Mount[]; readonly root: boolean }): boolean {
  return options.root && options.mounts.length > 0;
}

export function containerArgv(options: {
  readonly command: readonly string[];
  readonly mounts: readonly Mount[];
  readonly netns?: string;
  readonly root: boolean;
}): string[] {
  let argv = [...options.command];
  if (hasMountPrologue(options)) {
    argv = ['/bin/sh', '-c', mountScript(options.mounts), 'k8ts-mounts', ...argv];
    if (options.netns === undefined) argv = ['unshare', '--mount', '--propagation', 'private', '--', ...argv];
  }
  if (options.netns !== undefined) argv = ['ip', 'netns', 'exec', options.netns, ...argv];
  return argv;
}
