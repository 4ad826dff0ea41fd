import type { Command } from 'commander';
import { DEFAULT_DESTINATION_NAME, ensureWebhookDestination } from '../../client/webhook-destination.js';
import { DatabricksClient } from '../../databricks/index.js';
import { MIN_WEBHOOK_SECRET_LENGTH } from '../../worker/config.js';
import { CliUsageError, UserFacingError } from '../errors.js';

export function registerWebhookDestination(program: Command): void {
  program
    .command('webhook-destination')
    .description(
      "Register the worker's webhook receiver as a Databricks notification destination (DATABRICKS_* env / profile; admin), or update the one registered before; the password is $DURABRICKS_WEBHOOK_SECRET",
    )
    .requiredOption('--url <url>', 'the receiver as the workspace reaches it, e.g. https://durabricks.example.com/')
    .option('--name <name>', 'display name of the destination', DEFAULT_DESTINATION_NAME)
    .action(async (opts: { url: string; name: string }) => {
      let url: URL;
      try {
        url = new URL(opts.url);
      } catch {
        throw new CliUsageError(`--url ${opts.url} is not a URL`);
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CliUsageError(`--url must be an http or https URL, not ${url.protocol}`);
      const secret = process.env.DURABRICKS_WEBHOOK_SECRET || undefined;
      // The worker refuses a shorter one at start; a destination sending it would never be let in.
      if (secret !== undefined && secret.length < MIN_WEBHOOK_SECRET_LENGTH) throw new CliUsageError(`DURABRICKS_WEBHOOK_SECRET must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters (the worker requires it)`);
      const db = new DatabricksClient({});
      try {
        const { id, action } = await ensureWebhookDestination(db, { url: url.toString(), name: opts.name, ...(secret ? { secret } : {}) });
        const say = (line: string) => process.stdout.write(`${line}\n`);
        say(`${action} notification destination ${opts.name}: ${id}${secret ? ' (Basic auth with $DURABRICKS_WEBHOOK_SECRET)' : ' (no credentials: DURABRICKS_WEBHOOK_SECRET is not set)'}`);
        say('name it in a pipeline spec to end run waits by webhook:');
        say(`  job:\n    webhook_notifications: { on_success: [{ id: "${id}" }], on_failure: [{ id: "${id}" }] }\n    run_events: webhook`);
      } catch (err) {
        throw new UserFacingError(err instanceof Error ? err.message : String(err));
      } finally {
        await db.close();
      }
    });
}
