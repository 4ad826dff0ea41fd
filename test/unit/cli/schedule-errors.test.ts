import { ScheduleAlreadyRunning, ScheduleNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { scheduleCall } from '../../../src/cli/commands/schedule.js';
import { CliUsageError, UserFacingError } from '../../../src/cli/errors.js';
import { InvalidPipelineSpecError } from '../../../src/workflows/lib/pipeline-spec.js';

describe('schedule commands: Temporal errors in the CLI terms', () => {
  it('a missing schedule is named, not the server-internal scheduler workflow', async () => {
    const err = await scheduleCall('nightly', 'default', () => Promise.reject(new ScheduleNotFoundError('workflow not found for ID: temporal-sys-scheduler:nightly', 'nightly'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserFacingError);
    expect((err as Error).message).toBe('no schedule with id nightly (namespace default)');
  });

  it('an existing schedule says so and what to do', async () => {
    const err = await scheduleCall('nightly', 'data-eng', () => Promise.reject(new ScheduleAlreadyRunning('Schedule already exists and is running', 'nightly'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserFacingError);
    expect((err as Error).message).toBe('a schedule with id nightly already exists (namespace data-eng); delete it first or pick another id');
  });

  it('a spec the server refuses (the client raises TypeError) is bad usage, exit 2', async () => {
    const err = await scheduleCall('nightly', 'default', () => Promise.reject(new TypeError('Minute is not in range [0-59]'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliUsageError);
    expect((err as Error).message).toBe('invalid schedule (--cron, --every or --timezone): Minute is not in range [0-59]');
  });

  it('a schedule spec the library refused (InvalidPipelineSpecError) is bad usage too, naming the option', async () => {
    const err = await scheduleCall('nightly', 'default', () => Promise.reject(new InvalidPipelineSpecError(['cron: Minute is not in range [0-59]'], 'schedule'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliUsageError);
    expect((err as Error).message).toBe('invalid schedule: cron: Minute is not in range [0-59]');
  });

  it('anything else passes through unchanged', async () => {
    const boom = new Error('boom');
    await expect(scheduleCall('nightly', 'default', () => Promise.reject(boom))).rejects.toBe(boom);
    await expect(scheduleCall('nightly', 'default', () => Promise.resolve(7))).resolves.toBe(7);
  });
});
