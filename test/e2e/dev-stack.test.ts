import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/common/logger.js';
import { freePort } from '../../src/dev/ports.js';
import { startStack, type RunningStack } from '../../src/dev/stack.js';
import { childPids, eventually, isProcessAlive, portIsReleased } from '../support/processes.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('embedded dev stack against a real Temporal dev server', () => {
  let stack: RunningStack | undefined;
  afterEach(async () => {
    await stack?.shutdown();
    stack = undefined;
  });

  it('runs a workflow end to end, then leaves no server process and no bound port', async () => {
    stack = await startStack({ logger: createLogger({ level: 'silent' }), persist: false, port: await freePort(), uiPort: await freePort() });
    const serverPid = stack.server.pid!;
    const address = stack.server.address;
    expect(isProcessAlive(serverPid)).toBe(true);

    const workflowId = `e2e-${Date.now()}`;
    const result = await stack.client.workflow.execute('smokeTest', { taskQueue: stack.config.taskQueue, workflowId, args: [{ sleep: '1 second' }] });
    expect(result.workerIdentity).toMatch(/\S/);
    const description = await stack.client.workflow.getHandle(workflowId).describe();
    expect(description.status.name).toBe('COMPLETED');

    const errors = await stack.shutdown();
    stack = undefined;
    expect(errors).toEqual([]);
    expect(await eventually(() => !isProcessAlive(serverPid))).toBe(true);
    expect(await portIsReleased(address)).toBe(true);
  }, 240_000);
});

/** Every CLI process a test starts; killed with its children if a test fails or times out part-way. */
const started: ChildProcess[] = [];
function startCli(args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess & { output(): string; exited: Promise<number | null> } {
  const cli = spawn(process.execPath, [join(ROOT, 'bin/durabricks.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  started.push(cli);
  let out = '';
  cli.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  cli.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
  return Object.assign(cli, { output: () => out, exited });
}

describe('durabricks dev (CLI process)', () => {
  let blocker: Server | undefined;
  afterEach(() => {
    blocker?.close();
    for (const cli of started.splice(0)) {
      if (cli.exitCode !== null || cli.signalCode !== null) continue;
      for (const pid of childPids(cli.pid!)) process.kill(pid, 'SIGKILL');
      cli.kill('SIGKILL');
    }
  });

  it('picks free ports when the preferred one is taken, and SIGTERM stops server and worker with nothing left behind', async () => {
    blocker = createServer();
    const busyPort = await new Promise<number>((resolve) => blocker!.listen(0, '127.0.0.1', () => resolve((blocker!.address() as { port: number }).port)));

    const metricsPort = await freePort();
    const cli = startCli(['dev', '--no-persist', '--port', String(busyPort), '--ui-port', String(await freePort())], {
      ...process.env,
      DURABRICKS_LOG_LEVEL: 'warn',
      DURABRICKS_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
    });
    const exited = cli.exited;

    expect(await eventually(() => /ready\. Temporal UI/.test(cli.output()), 120_000)).toBe(true);
    const out = () => cli.output();
    const address = /dev server ready at (\S+)/.exec(out())?.[1];
    expect(address).toBeDefined();
    expect(address).not.toBe(`127.0.0.1:${busyPort}`);
    const children = childPids(cli.pid!);
    // The worker runtime serves Prometheus metrics where it was told to.
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^temporal_\w+/m);
    expect(children.length).toBeGreaterThan(0);

    cli.kill('SIGTERM');
    expect(await exited).toBe(143);
    for (const pid of children) expect(await eventually(() => !isProcessAlive(pid), 5_000), `child ${pid} outlived the CLI:\n${out()}`).toBe(true);
    expect(await portIsReleased(address!)).toBe(true);
    expect(out()).toContain('stopped.');
  }, 240_000);

  it('exits non-zero and stops the worker when the Temporal server dies underneath it', async () => {
    const cli = startCli(['dev', '--no-persist', '--port', String(await freePort()), '--ui-port', String(await freePort())]);
    expect(await eventually(() => /ready\. Temporal UI/.test(cli.output()), 120_000)).toBe(true);

    const [serverPid] = childPids(cli.pid!);
    process.kill(serverPid!, 'SIGKILL');
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toContain('the Temporal dev server exited unexpectedly');
  }, 240_000);
});
