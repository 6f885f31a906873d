// The files of a private containerd + CNI + registry (shared/docs/containerd-node.md §2, all seen
// working on these machines): config.toml, certs.d/<registry>/hosts.toml, the CNI conflist and
// the docker-registry config. Pure text builders plus one writer; no processes here.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const CNI_BIN_DIR = '/usr/lib/cni';
export const RUNC = '/usr/sbin/runc';

export interface ContainerdLayout {
  /** The instance's root dir; everything below is ours. */
  readonly dir: string;
  readonly socket: string;
  readonly configFile: string;
  readonly certsDir: string;
  readonly cniConfDir: string;
  readonly ipamDir: string;
  readonly registryConfig: string;
  readonly registryData: string;
  readonly logDir: string;
}

export function containerdLayout(dir: string): ContainerdLayout {
  return {
    dir,
    socket: join(dir, 'containerd', 'containerd.sock'),
    configFile: join(dir, 'containerd', 'config.toml'),
    certsDir: join(dir, 'containerd', 'certs.d'),
    cniConfDir: join(dir, 'cni', 'net.d'),
    ipamDir: join(dir, 'cni', 'ipam'),
    registryConfig: join(dir, 'registry', 'config.yml'),
    registryData: join(dir, 'registry', 'data'),
    logDir: join(dir, 'logs'),
  };
}

export interface ContainerdSettings {
  readonly registry: string;
  readonly sandboxImage: string;
  readonly streamPort: number;
  readonly bridge: string;
  readonly networkName: string;
  readonly podCidr: string;
}

export function containerdConfigToml(layout: ContainerdLayout, settings: ContainerdSettings): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `version = 2
root = "${join(layout.dir, 'containerd', 'root')}"
state = "${join(layout.dir, 'containerd', 'state')}"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]

[grpc]
  address = "${layout.socket}"

[plugins."io.containerd.internal.v1.opt"]
  path = "${join(layout.dir, 'containerd', 'opt')}"

[${cri}]
  sandbox_image = "${settings.sandboxImage}"
  stream_server_address = "127.0.0.1"
  stream_server_port = "${settings.streamPort}"
  enable_selinux = false
  disable_apparmor = true
  # root here lacks CAP_SYS_RESOURCE: runc cannot lower oom_score_adj, every sandbox fails without this
  restrict_oom_score_adj = true
  max_container_log_line_size = 16384
  [${cri}.containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [${cri}.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [${cri}.containerd.runtimes.runc.options]
        BinaryName = "${RUNC}"
        SystemdCgroup = false
  [${cri}.cni]
    bin_dir = "${CNI_BIN_DIR}"
    conf_dir = "${layout.cniConfDir}"
    max_conf_num = 1
  [${cri}.registry]
    config_path = "${layout.certsDir}"
`;
}

/** Plain-HTTP pulls from a loopback registry. */
export function hostsToml(registry: string): string {
  return `server = "http://${registry}"

[host."http://${registry}"]
  capabilities = ["pull", "resolve"]
  skip_verify = true
`;
}

/**
 * A bridge with host-local IPAM over the pod CIDR, plus portmap for hostPorts. ipMasq false:
 * host <-> pod traffic works, nothing is NATed out of the machine. containerd adds `lo` itself.
 */
export function cniConflist(settings: Pick<ContainerdSettings, 'bridge' | 'networkName' | 'podCidr'>, ipamDir: string): string {
  return `${JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: settings.networkName,
      plugins: [
        {
          type: 'bridge', bridge: settings.bridge, isGateway: true, ipMasq: false, hairpinMode: true,
          ipam: { type: 'host-local', ranges: [[{ subnet: settings.podCidr }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: ipamDir },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  )}\n`;
}

export function registryConfigYaml(rootDirectory: string, address: string): string {
  return `version: 0.1
log: { level: warn }
storage: { filesystem: { rootdirectory: ${rootDirectory} }, delete: { enabled: true } }
http: { addr: ${address} }
`;
}

/** Writes every config file of the instance (directories included). */
export async function writeContainerdFiles(layout: ContainerdLayout, settings: ContainerdSettings): Promise<void> {
  for (const dir of [join(layout.dir, 'containerd'), join(layout.certsDir, settings.registry), layout.cniConfDir, layout.ipamDir, layout.registryData, layout.logDir]) {
    await mkdir(dir, { recursive: true });
  }
  await writeFile(layout.configFile, containerdConfigToml(layout, settings));
  await writeFile(join(layout.certsDir, settings.registry, 'hosts.toml'), hostsToml(settings.registry));
  await writeFile(join(layout.cniConfDir, '10-k8ts.conflist'), cniConflist(settings, layout.ipamDir));
  await writeFile(layout.registryConfig, registryConfigYaml(layout.registryData, settings.registry));
}
