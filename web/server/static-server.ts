// Serves the production build (web/dist): files as they are, every other path the app's
// index.html (client-side routes), and /config.json for where the gateway is. No dependencies,
// so the Docker stage and the browser tests run it on plain Node.
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { RuntimeConfig } from '../src/config/runtime-config.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Where the server finds the build and what it tells the app. */
export interface WebServerOptions {
  distDir: string;
  /** Read on every /config.json request, so a test can point the app at a stack started later. */
  runtimeConfig: () => RuntimeConfig;
}

/** A running web server. */
export interface RunningWebServer {
  url: string;
  port: number;
  close: () => Promise<void>;
}

/** The gateway origins the page may connect to (HTTP and WebSocket), for the CSP. */
function gatewayOrigins(config: RuntimeConfig, requestHost: string | undefined): string[] {
  const hostname = (requestHost ?? 'localhost').replace(/:\d+$/, '');
  const url = new URL(config.graphqlUrl ?? `http://${hostname}:${config.gatewayPort}/graphql`);
  return [url.origin, url.origin.replace(/^http/, 'ws')];
}

/**
 * Security headers of every answer. The explorer's editor (Monaco) sets inline styles and runs
 * web workers, hence style-src 'unsafe-inline' and worker-src blob:; scripts only from here.
 */
function securityHeaders(config: RuntimeConfig, requestHost: string | undefined) {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${gatewayOrigins(config, requestHost).join(' ')}`,
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

/** The file under `root` a URL path names, or null when it would leave `root`. */
export function fileFor(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const file = normalize(join(root, decoded));
  return file === root || file.startsWith(root + sep) ? file : null;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Starts the server on `port` (0: a free one) and `host`. */
export async function startWebServer(
  options: WebServerOptions & { port: number; host: string },
): Promise<RunningWebServer> {
  const root = resolve(options.distDir);
  const indexHtml = join(root, 'index.html');
  if (!(await isFile(indexHtml)))
    throw new Error(`no build at ${root} (run \`npm run build -w web\` first)`);

  const server = http.createServer(async (req, res) => {
    try {
      const config = options.runtimeConfig();
      const headers = securityHeaders(config, req.headers.host);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
        return;
      }
      const { pathname } = new URL(req.url ?? '/', 'http://localhost');
      if (pathname === '/config.json') {
        res
          .writeHead(200, {
            ...headers,
            'content-type': CONTENT_TYPES['.json']!,
            'cache-control': 'no-store',
          })
          .end(JSON.stringify(config));
        return;
      }
      const file = fileFor(root, pathname);
      if (file === null) {
        res.writeHead(400, headers).end();
        return;
      }
      const found = file !== root && (await isFile(file));
      // A path with an extension that is not in the build is a missing file, not an app route.
      if (!found && extname(pathname) !== '') {
        res.writeHead(404, { ...headers, 'content-type': CONTENT_TYPES['.txt']! }).end('not found');
        return;
      }
      const served = found ? file : indexHtml;
      const body = await readFile(served);
      res.writeHead(200, {
        ...headers,
        'content-type': CONTENT_TYPES[extname(served)] ?? 'application/octet-stream',
        // Vite names assets by content hash: they never change; index.html must be re-read.
        'cache-control': pathname.startsWith('/assets/')
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      console.error('web server:', err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host, () => ok());
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    close: () =>
      new Promise<void>((ok, fail) => {
        server.close((err) => (err ? fail(err) : ok()));
        server.closeAllConnections();
      }),
  };
}
