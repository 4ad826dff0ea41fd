/**
 * Runs `shutdown` once on the first SIGINT/SIGTERM and resolves with the conventional exit code
 * (130 / 143). A second signal while shutting down forces an immediate exit.
 */
export function onShutdownSignal(shutdown: () => Promise<unknown>): { signalled: Promise<number>; dispose(): void } {
  let resolveSignalled: (code: number) => void = () => {};
  const signalled = new Promise<number>((resolve) => (resolveSignalled = resolve));
  let shuttingDown = false;
  const handler = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGINT' ? 130 : 143;
    if (shuttingDown) process.exit(code);
    shuttingDown = true;
    process.stderr.write(`\n${signal} received: stopping worker and servers…\n`);
    void shutdown().finally(() => resolveSignalled(code));
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
