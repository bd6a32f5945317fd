// `lantern serve` as a user starts it, for the tests that drive it from
// node: a child process on a free port (--port 0) whose URL is read from the
// line it prints on start.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

// Resolves to { server, url } once the server listens.
export function startServer(lantern, city) {
  const server = spawn(lantern, ['serve', city, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: server.stdout });
    lines.once('line', (line) => {
      const match = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(line);
      match ? resolve({ server, url: match[1] }) : reject(new Error(`no URL in: ${line}`));
    });
    server.once('exit', (code) => reject(new Error(`lantern serve exited with ${code}`)));
  });
}
