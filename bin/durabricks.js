#!/usr/bin/env node
// The CLI runs from TypeScript sources through tsx, so `npm ci` is the only install step.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 18)) {
  process.stderr.write(`error: durabricks needs Node.js 20.18 or newer; this is ${process.version}. Install a newer Node.js (e.g. with nvm) and run again.\n`);
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
await import('../src/cli/main.ts');
