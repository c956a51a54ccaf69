// Listening where asked, or close by: the page tries its port and the next few (16686, 16687, ...), the
// receivers fall back to any free port (4318 is the neighbour of 4317, so "next" would collide).

import type { Server } from 'node:net';

function tryListen(server: Server, host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.removeListener('listening', onListening);
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    };
    const onListening = (): void => {
      server.removeListener('error', onError);
      resolve(true);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Listens on `port`, else (when it is taken) on one of the `tries` next ports, else on a free one. Returns the port. */
export async function listenNear(server: Server, host: string, port: number, tries = 0): Promise<number> {
  for (let p = port; p <= port + tries && p <= 65535; p++) {
    if (port !== 0 && (await tryListen(server, host, p))) return (server.address() as { port: number }).port;
    if (port === 0) break;
  }
  if (!(await tryListen(server, host, 0))) throw new Error('no free port');
  return (server.address() as { port: number }).port;
}
