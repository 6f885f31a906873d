// PLACEHOLDER (being written by the streaming helpers): exec and port-forward sessions against
// containerd's streaming server, from the URL that CRI Exec / PortForward return.
export { openCriExec, openCriStreams } from './cri-exec.js';
export { openCriPortForward } from './cri-port-forward.js';
