// server.address and server.port of a GenAI call, from the client's baseURL ('https://api.openai.com/v1'):
// the conventions' GenAI server, the default port by scheme when the URL names none.

export interface ServerAddress {
  readonly address: string;
  readonly port: number;
}

// An app uses one or two clients: each baseURL is parsed once. The cap guards against apps that
// make clients for unbounded URLs; past it the cache starts over.
const CACHE_LIMIT = 64;
const cache = new Map<string, ServerAddress | null>();

export function serverAddressOf(baseURL: unknown): ServerAddress | undefined {
  if (typeof baseURL !== 'string') return undefined;
  let server = cache.get(baseURL);
  if (server === undefined) {
    try {
      const url = new URL(baseURL);
      const host = url.hostname;
      server = {
        address: host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host,
        port: url.port !== '' ? Number(url.port) : url.protocol === 'http:' ? 80 : 443,
      };
    } catch {
      server = null;
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(baseURL, server);
  }
  return server ?? undefined;
}
