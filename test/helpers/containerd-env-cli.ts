// For developers: a private containerd + registry + test images, up until SIGTERM/SIGINT.
//   node --import tsx test/helpers/containerd-env-cli.ts start [DIR]
// prints the environment as JSON (socket, registry, images, podCidr, ...), then on a signal removes
// every sandbox and everything else it made, and prints any leftovers.
import { startContainerdEnv } from './containerd-env.js';

const [command, dir] = process.argv.slice(2);
if (command !== 'start') {
  process.stderr.write('usage: containerd-env-cli.ts start [DIR]\n');
  process.exit(2);
}
const env = await startContainerdEnv(dir === undefined ? {} : { dir });
const facts = {
  dir: env.dir, socket: env.socket, streamPort: env.streamPort, registry: env.registry, images: env.images, bridge: env.bridge,
  networkName: env.networkName, podCidr: env.podCidr, cniConfDir: env.cniConfDir, containerdLog: env.containerdLog, containerdPid: env.containerdPid(),
};
process.stdout.write(`${JSON.stringify(facts, null, 2)}\n`);
process.stdout.write(
  `# try: node --import tsx src/cmd/main.ts server --data-dir $(mktemp -d) --runtime containerd --cri-socket ${env.socket} --pod-cidr ${env.podCidr}\n`,
);

let stopping = false;
const shutdown = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await env.stop();
  const left = await env.leftovers();
  process.stdout.write(left.length === 0 ? 'stopped; nothing left behind\n' : `stopped; left behind:\n${left.join('\n')}\n`);
  process.exit(left.length === 0 ? 0 : 1);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
setInterval(() => undefined, 1 << 30);
