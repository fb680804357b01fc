// A loopback TCP proxy in front of PostgreSQL that can "restart" the database for the processes
// connected through it: every open connection is cut at once and new ones are refused for a while,
// which is what a client sees while PostgreSQL restarts (a failover looks the same). The real server
// is not touched, so other tests sharing it are not disturbed.

import { createServer, connect, type Server, type Socket } from 'node:net';

export type TcpProxy = {
  port: number;
  /** Cuts every connection and refuses new ones for `downMs`; resolves once connections are accepted again. Returns how many were cut. */
  restart(downMs: number): Promise<number>;
  close(): Promise<void>;
};

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  const onConnection = (client: Socket) => {
    const upstream = connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer(onConnection);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  const stop = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

  let server = await listen(0);
  const port = (server.address() as { port: number }).port;
  return {
    port,
    async restart(downMs) {
      const closing = stop(server);
      const cut = [...open].filter((socket) => socket.remotePort !== target.port).length;
      for (const socket of open) socket.destroy();
      open.clear();
      await closing;
      await new Promise((resolve) => setTimeout(resolve, downMs));
      server = await listen(port);
      return cut;
    },
    async close() {
      for (const socket of open) socket.destroy();
      await stop(server);
    },
  };
}
