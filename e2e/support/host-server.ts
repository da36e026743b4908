import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** e2e/fixtures/embed/: the host pages that frame the app. */
export const embedFixturesDir = fileURLToPath(new URL('../fixtures/embed/', import.meta.url));

/** A running static server for host pages. */
export interface HostServer {
  /** e.g. "http://127.0.0.1:41235/" */
  readonly url: string;
  /** e.g. "http://127.0.0.1:41235" — what the browser puts in `MessageEvent.origin`. */
  readonly origin: string;
  /** "METHOD path" of every request served, for debugging. */
  readonly requests: string[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

/**
 * Serves the files of `root` (default e2e/fixtures/embed/) on 127.0.0.1 and a free port:
 * a second (third, …) origin next to the app's preview server, for cross-origin embeds.
 * Host pages are served with `script-src 'self'` like the app's own pages, so they work
 * without inline script. Only GET/HEAD of existing files; anything else is a 404.
 */
export async function startHostServer(options: { root?: string } = {}): Promise<HostServer> {
  const root = normalize(options.root ?? embedFixturesDir);
  const requests: string[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://host.invalid').pathname);
    requests.push(`${req.method ?? '?'} ${path}`);
    const file = normalize(join(root, path === '/' ? 'host.html' : path));
    const type = TYPES[extname(file)];
    if (
      (req.method !== 'GET' && req.method !== 'HEAD') ||
      !file.startsWith(root.endsWith(sep) ? root : root + sep) ||
      !type
    ) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': body.byteLength,
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "script-src 'self'; object-src 'none'; base-uri 'none'",
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/`,
    origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
