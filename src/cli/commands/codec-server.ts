import type { Command } from 'commander';
import { EncryptionCodec } from '../../common/codec/encryption-codec.js';
import { parseCodecKeys } from '../../common/codec/keys.js';
import { startCodecServer } from '../../worker/codec-server.js';
import { UserFacingError, parsePort } from '../errors.js';
import { onShutdownSignal } from '../shutdown-signals.js';

export function registerCodecServer(program: Command): void {
  program
    .command('codec-server')
    .description('Serve the payload codec for the Temporal UI/CLI so key holders can read encrypted histories (keys from DURABRICKS_CODEC_KEYS)')
    .option('--port <port>', 'port to listen on', parsePort, 8888)
    .option('--host <host>', 'interface to bind (keep it local or behind auth)', '127.0.0.1')
    .option('--ui-origin <url...>', 'Temporal UI origins allowed by CORS', ['http://localhost:8233', 'http://127.0.0.1:8233'])
    .action(async (opts: { port: number; host: string; uiOrigin: string[] }) => {
      const spec = process.env.DURABRICKS_CODEC_KEYS;
      if (!spec) throw new UserFacingError('DURABRICKS_CODEC_KEYS is not set; the codec server needs the same keys as the workers.');
      let keys;
      try {
        keys = parseCodecKeys(spec);
      } catch (err) {
        throw new UserFacingError(err instanceof Error ? err.message : String(err));
      }
      const server = await startCodecServer({ codec: new EncryptionCodec(keys), port: opts.port, host: opts.host, corsOrigins: opts.uiOrigin });
      process.stdout.write(`codec server listening on ${server.url} (set it as the Codec Server endpoint in the Temporal UI)\n`);
      const signals = onShutdownSignal();
      process.exitCode = await signals.signalled;
      signals.dispose();
      await server.close();
    });
}
