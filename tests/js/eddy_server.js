// Starts a real eddy on a free port for the duration of a test file.
import { spawn } from 'node:child_process';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const eddyBin = process.env.EDDY_BIN ?? path.join(here, '..', '..', 'build', 'bin', 'eddy');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
}

export async function startEddy(extraArgs = ['-inMemory', '-sharedDb']) {
  const port = await freePort();
  const child = spawn(eddyBin, ['-port', String(port), ...extraArgs], { stdio: 'ignore' });
  const deadline = Date.now() + 5000;
  while (!(await canConnect(port))) {
    if (Date.now() > deadline) throw new Error(`eddy did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => { child.on('exit', resolve); child.kill('SIGTERM'); }),
  };
}

// A low-level client for `server`, signing as `accessKeyId`, never retrying (a test must see the
// first answer).
export function clientFor(server, accessKeyId = 'AKIDJS') {
  return new DynamoDBClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
}
