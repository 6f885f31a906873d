// A TCP port that nothing listens on right now, for a test server to bind a moment later.
//
// Not the OS's pick (listen on port 0): that comes from the ephemeral range, which every outgoing
// connection on the machine also draws from, so between our check and the child's bind another
// process's connect() or listen(0) could take it (CI failed once on exactly that). Ports are drawn
// at random from 10000-29999 instead: below the ephemeral range (32768+ on Linux) and below the
// NodePort range (30000-32767) whose iptables rules the service proxy tests install.
import { createServer } from 'node:net';

const LOWEST = 10_000;
const HIGHEST = 29_999;

/** Ports this process handed out already: two suites in one process must not get the same one. */
const handedOut = new Set<number>();

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (HIGHEST - LOWEST + 1));
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free TCP port found in ${LOWEST}-${HIGHEST} after 200 tries`);
}

/** On every address, so a port some server holds on any one address is not taken for free. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}
