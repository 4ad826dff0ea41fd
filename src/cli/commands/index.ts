import type { Command } from 'commander';
import { registerDev } from './dev.js';
import { registerWorker } from './worker.js';
import { registerEmulator } from './emulator.js';
import { registerRun } from './run.js';
import { registerBackfill } from './backfill.js';
import { registerValidate } from './validate.js';
import { registerProvision } from './provision.js';
import { registerDeprovision } from './deprovision.js';
import { registerStatus } from './status.js';
import { registerCancel } from './cancel.js';
import { registerSchedule } from './schedule.js';
import { registerCodecServer } from './codec-server.js';
import { registerWebhookDestination } from './webhook-destination.js';

/** One file per command; each adds itself to the program. */
export function registerCommands(program: Command): void {
  registerDev(program);
  registerWorker(program);
  registerEmulator(program);
  registerRun(program);
  registerBackfill(program);
  registerValidate(program);
  registerProvision(program);
  registerDeprovision(program);
  registerStatus(program);
  registerCancel(program);
  registerSchedule(program);
  registerCodecServer(program);
  registerWebhookDestination(program);
}
