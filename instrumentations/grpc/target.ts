// server.address and server.port of a client call, from the channel's target as the app configured
// it (never from the connection: grpc.md wants low cardinality), following gRPC's naming syntax:
//   dns:[//authority/]host[:port]   host and port (443, gRPC's default, when none is given)
//   unix:path, unix:///abs/path     the path, no port
//   ipv4:addr:port, ipv6:[addr]:port   that address and port; several addresses: the whole target
//   anything else (xds:, zk:, ...)   the whole target, no port
// grpc-js reports a target without a scheme it knows as `dns:<target>`, so `localhost:50051`
// arrives as `dns:localhost:50051`. And network.peer.* from the address grpc-js reports for the
// connection a call used.

import { isIP } from 'node:net';

export interface ServerTarget {
  readonly address: string;
  readonly port: number | undefined;
}

const DNS_DEFAULT_PORT = 443;

/** host[:port] with IPv6 in brackets; undefined when it is not that shape. */
function splitHostPort(text: string): { host: string; port: number | undefined } | undefined {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1) return undefined;
    const host = text.slice(1, close);
    if (close === text.length - 1) return { host, port: undefined };
    if (text.charCodeAt(close + 1) !== 58 /* : */) return undefined;
    const port = portOf(text.slice(close + 2));
    return port === undefined ? undefined : { host, port };
  }
  const colon = text.indexOf(':');
  // Several colons: a bare IPv6 address, without a port.
  if (colon === -1 || text.indexOf(':', colon + 1) !== -1) return { host: text, port: undefined };
  const port = portOf(text.slice(colon + 1));
  return port === undefined ? undefined : { host: text.slice(0, colon), port };
}

function portOf(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

export function parseTarget(target: string): ServerTarget {
  const whole = { address: target, port: undefined };
  const colon = target.indexOf(':');
  if (colon === -1) return whole;
  const scheme = target.slice(0, colon);
  let rest = target.slice(colon + 1);
  switch (scheme) {
    case 'dns': {
      // An authority names the DNS server to ask, not the target.
      if (rest.startsWith('//')) {
        const slash = rest.indexOf('/', 2);
        if (slash === -1) return whole;
        rest = rest.slice(slash + 1);
      }
      const hostPort = splitHostPort(rest);
      if (hostPort === undefined || hostPort.host === '') return whole;
      return { address: hostPort.host, port: hostPort.port ?? DNS_DEFAULT_PORT };
    }
    case 'unix':
      return { address: rest.startsWith('//') ? rest.slice(2) : rest, port: undefined };
    case 'unix-abstract':
      return { address: rest, port: undefined };
    case 'ipv4':
    case 'ipv6': {
      if (rest.includes(',')) return whole;
      const hostPort = splitHostPort(rest);
      if (hostPort === undefined || isIP(hostPort.host) === 0) return whole;
      return { address: hostPort.host, port: hostPort.port ?? DNS_DEFAULT_PORT };
    }
    default:
      return whole;
  }
}

export interface Peer {
  readonly address: string;
  readonly port: number | undefined;
}

/**
 * network.peer.* from grpc-js's getPeer(): `ip:port`, `[ipv6]:port` or a socket path. Before a
 * connection was picked it answers 'unknown' or the channel's target: those give nothing.
 */
let lastPeer: string | undefined;
let lastParsed: Peer | undefined;

export function parsePeer(peer: unknown): Peer | undefined {
  if (typeof peer !== 'string' || peer === '') return undefined;
  // A channel's calls mostly go to one peer: its parse is kept.
  if (peer === lastPeer) return lastParsed;
  lastParsed = splitPeer(peer);
  lastPeer = peer;
  return lastParsed;
}

function splitPeer(peer: string): Peer | undefined {
  if (peer.charCodeAt(0) === 47 /* / */) return { address: peer, port: undefined };
  const hostPort = splitHostPort(peer);
  if (hostPort === undefined || isIP(hostPort.host) === 0) return undefined;
  return { address: hostPort.host, port: hostPort.port };
}
