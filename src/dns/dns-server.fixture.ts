// Fakes and socket helpers the DnsServer tests share: a fake cluster zone, a fake upstream world,
// raw queries, and one-shot UDP and TCP exchanges with a server on 127.0.0.1.
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { once } from 'node:events';
import { nameToLabels } from './dns-name.js';
import { DNS_RCODE, DNS_TYPE, type DnsAnswer, type DnsQuestion, type DnsRecord, type DnsResolver } from './dns-types.js';

export const ZONE = 'cluster.local';
export const WEB = 'web.default.svc.cluster.local';
const SOA: DnsRecord = {
  name: ZONE,
  ttl: 5,
  data: { type: 'SOA', mname: `ns.dns.${ZONE}`, rname: `hostmaster.${ZONE}`, serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 },
};

export function a(name: string, address: string, ttl = 5): DnsRecord {
  return { name, ttl, data: { type: 'A', address } };
}

/** ExternalName Services: their names in the zone -> the names outside it they alias. */
const EXTERNAL_ALIASES = new Map([
  [`db.default.svc.${ZONE}`, 'db.example.com'],
  [`gone.default.svc.${ZONE}`, 'gone.example.com'],
]);

/** A fake cluster zone; anything outside cluster.local is not ours. */
export class FakeZone implements DnsResolver {
  answer(question: DnsQuestion): DnsAnswer | undefined {
    const name = question.name.toLowerCase();
    const ok = (answers: DnsRecord[], additionals: DnsRecord[] = []): DnsAnswer => ({ rcode: DNS_RCODE.NOERROR, answers, authorities: [], additionals });
    if (name === WEB && question.type === DNS_TYPE.A) return ok([a(question.name, '10.96.0.10')]);
    if (name === `_http._tcp.${WEB}` && question.type === DNS_TYPE.SRV) {
      return ok([{ name: question.name, ttl: 5, data: { type: 'SRV', priority: 0, weight: 100, port: 80, target: WEB } }], [a(WEB, '10.96.0.10')]);
    }
    if (name === `alias.default.svc.${ZONE}`) return ok([{ name: question.name, ttl: 5, data: { type: 'CNAME', target: WEB } }]);
    const external = EXTERNAL_ALIASES.get(name);
    if (external !== undefined) return ok([{ name: question.name, ttl: 5, data: { type: 'CNAME', target: external } }]);
    if (name === '10.0.96.10.in-addr.arpa' && question.type === DNS_TYPE.PTR) return ok([{ name: question.name, ttl: 5, data: { type: 'PTR', target: WEB } }]);
    if (name === `big.default.svc.${ZONE}`) return ok(Array.from({ length: 60 }, (_, i) => a(question.name, `10.1.0.${i + 1}`)));
    if (name === `boom.${ZONE}`) throw new Error('resolver bug');
    if (name === ZONE || name.endsWith(`.${ZONE}`)) return { rcode: DNS_RCODE.NXDOMAIN, answers: [], authorities: [SOA], additionals: [] };
    return undefined;
  }
}

/** The upstream world: example.com and db.example.com, and nothing else (NXDOMAIN). */
export class FakeInternet implements DnsResolver {
  answer(question: DnsQuestion): DnsAnswer | undefined {
    const ok = (answers: DnsRecord[]): DnsAnswer => ({ rcode: 0, answers, authorities: [], additionals: [] });
    const name = question.name.toLowerCase();
    if (name === 'example.com') return ok([a(question.name, '192.0.2.1')]);
    if (name === 'db.example.com' && question.type === DNS_TYPE.A) return ok([a(question.name, '192.0.2.10', 300), a(question.name, '192.0.2.11', 300)]);
    if (name === 'db.example.com' && question.type === DNS_TYPE.AAAA) return ok([{ name: question.name, ttl: 300, data: { type: 'AAAA', address: '2001:db8::10' } }]);
    if (name === 'db.example.com') return ok([]);
    return { rcode: DNS_RCODE.NXDOMAIN, answers: [], authorities: [], additionals: [] };
  }
}

export function query(id: number, name: string, type: number, options: { class?: number; opcode?: number; questions?: number } = {}): Buffer {
  const question = Buffer.concat([...nameToLabels(name).map((label) => Buffer.concat([Buffer.from([label.length]), label])), Buffer.from([0, type >> 8, type & 0xff, 0, options.class ?? 1])]);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(((options.opcode ?? 0) << 11) | 0x0100, 2);
  header.writeUInt16BE(options.questions ?? 1, 4);
  return Buffer.concat([header, ...Array.from({ length: options.questions ?? 1 }, () => question)]);
}

export const header = (response: Buffer): { id: number; rcode: number; aa: boolean; tc: boolean; answers: number } => ({
  id: response.readUInt16BE(0),
  rcode: response.readUInt16BE(2) & 0xf,
  aa: (response.readUInt16BE(2) & 0x0400) !== 0,
  tc: (response.readUInt16BE(2) & 0x0200) !== 0,
  answers: response.readUInt16BE(6),
});

/** Sends datagrams from one socket; resolves with the first datagram back. */
export async function udpExchange(port: number, ...messages: Buffer[]): Promise<Buffer> {
  const socket = createSocket('udp4');
  try {
    socket.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    for (const message of messages) socket.send(message);
    // Not a timing check: only keeps a broken server from hanging the run.
    const [response] = (await once(socket, 'message', { signal: AbortSignal.timeout(10_000) })) as [Buffer];
    return response;
  } finally {
    socket.close();
  }
}

/** Writes all messages in one write, length-prefixed; reads `count` answers. */
export async function tcpExchange(port: number, messages: Buffer[], count = messages.length): Promise<Buffer[]> {
  const socket = connect({ host: '127.0.0.1', port });
  try {
    await once(socket, 'connect');
    socket.write(Buffer.concat(messages.flatMap((message) => [Buffer.from([message.length >> 8, message.length & 0xff]), message])));
    const answers: Buffer[] = [];
    let unread = Buffer.alloc(0);
    const signal = AbortSignal.timeout(10_000);
    while (answers.length < count) {
      const [chunk] = (await once(socket, 'data', { signal })) as [Buffer];
      unread = Buffer.concat([unread, chunk]);
      while (unread.length >= 2 && unread.length >= 2 + unread.readUInt16BE(0)) {
        answers.push(unread.subarray(2, 2 + unread.readUInt16BE(0)));
        unread = unread.subarray(2 + unread.readUInt16BE(0));
      }
    }
    return answers;
  } finally {
    socket.destroy();
  }
}
