// A tiny static file server for the browser suite: serves built lectern sites on 127.0.0.1 under
// subpaths (e.g. /lessons/), on an ephemeral port, and closes itself after a bounded lifetime so a
// crashed test can never leave it running.
//
// Library:  const { serve } = require('./serve');
//           const srv = await serve({ '/lessons/': '/tmp/site' }, { lifetimeMs: 300000 });
//           srv.url('/lessons/index.html'); ...; await srv.close();
// By hand:  node tests/browser/serve.js /lessons/=site [/other/=dir ...]   (stops after 30 minutes)
//
// A missing file under a mount answers 404 with that site's 404.html, as static hosts do.
'use strict';

const http = require('http');
const fs = require('fs');
const path = require('path');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
};

function send(res, status, file, head) {
  const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
  const body = fs.readFileSync(file);
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(head ? undefined : body);
}

function handler(mounts) {
  // Longest prefix first, so /a/b/ wins over /a/.
  const list = Object.entries(mounts)
    .map(([prefix, dir]) => [prefix.endsWith('/') ? prefix : prefix + '/', path.resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  return (req, res) => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      return res.end();
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400);
      return res.end();
    }
    const mount = list.find(([prefix]) => pathname.startsWith(prefix) || pathname + '/' === prefix);
    if (!mount) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      return res.end('not under any mount\n');
    }
    const [prefix, root] = mount;
    if (pathname + '/' === prefix) {
      res.writeHead(301, { Location: prefix });
      return res.end();
    }
    let file = path.join(root, pathname.slice(prefix.length));
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403);
      return res.end();
    }
    try {
      if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (fs.statSync(file).isFile()) return send(res, 200, file, head);
    } catch {
      // fall through to 404
    }
    const notFound = path.join(root, '404.html');
    if (fs.existsSync(notFound)) return send(res, 404, notFound, head);
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
  };
}

// Serves `mounts` ({'/prefix/': dir}) on 127.0.0.1 at an ephemeral port. Resolves to
// {port, origin, url(p), close()}. The server closes itself after `lifetimeMs`.
function serve(mounts, { lifetimeMs = 5 * 60 * 1000 } = {}) {
  const server = http.createServer(handler(mounts));
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      const origin = `http://127.0.0.1:${port}`;
      const timer = setTimeout(() => {
        process.stderr.write(`serve.js: lifetime of ${lifetimeMs} ms over, closing ${origin}\n`);
        server.closeAllConnections();
        server.close();
      }, lifetimeMs);
      timer.unref();
      resolve({
        port,
        origin,
        url: (p) => origin + p,
        close: () =>
          new Promise((done) => {
            clearTimeout(timer);
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

module.exports = { serve };

if (require.main === module) {
  const args = process.argv.slice(2);
  if (!args.length || args.some((a) => !a.includes('='))) {
    console.error('usage: node serve.js /prefix/=DIR [/prefix2/=DIR2 ...]');
    process.exit(2);
  }
  const mounts = Object.fromEntries(args.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
  serve(mounts, { lifetimeMs: 30 * 60 * 1000 }).then((s) => {
    for (const prefix of Object.keys(mounts)) console.log(`serving ${mounts[prefix]} at ${s.url(prefix)}`);
  });
}
