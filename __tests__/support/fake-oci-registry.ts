/**
 * A tiny OCI registry on 127.0.0.1 serving Helm chart archives (`fake-oci-registry-server.js`,
 * run as a child process: render runs helm synchronously, so a server in the test process could
 * not answer it), for tests of OCI chart repositories without the network.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface FakeOciRegistry {
  /** `oci://127.0.0.1:<port>/<prefix>`. */
  readonly repository: string;
  /** Request lines received so far (`GET /v2/…`), in order. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/** Serves the chart `archives` under `oci://127.0.0.1:<port>/<prefix>/<chart>:<version>`; fails after 20 s without a port. */
export function startFakeOciRegistry(archives: readonly string[], prefix = 'wire/charts/stable'): Promise<FakeOciRegistry> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'fake-oci-registry-server.js'), prefix, ...archives], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const requests: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('the fake OCI registry did not start within 20 s'));
    }, 20_000);
    let buffered = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('request ')) requests.push(line.slice('request '.length));
        const port = /^listening (\d+)$/.exec(line)?.[1];
        if (port === undefined) continue;
        clearTimeout(timer);
        resolve({
          repository: `oci://127.0.0.1:${port}/${prefix}`,
          requests,
          close: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the fake OCI registry exited with ${code}`));
    });
  });
}
