/**
 * On the first SIGINT/SIGTERM, resolves `signalled` with the conventional exit code (130 / 143) at
 * once, then runs `shutdown` if given. A second signal while shutting down forces an immediate exit.
 */
export function onShutdownSignal(shutdown: () => Promise<unknown> = async () => {}): { signalled: Promise<number>; dispose(): void } {
  let resolveSignalled: (code: number) => void = () => {};
  const signalled = new Promise<number>((resolve) => (resolveSignalled = resolve));
  let shuttingDown = false;
  const handler = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGINT' ? 130 : 143;
    if (shuttingDown) process.exit(code);
    shuttingDown = true;
    process.stderr.write(`\n${signal} received: stopping worker and servers…\n`);
    resolveSignalled(code);
    void shutdown();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signalled,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
