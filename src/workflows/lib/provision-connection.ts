/**
 * The provisioning saga's connection step: a Unity Catalog connection (Lakehouse Federation). Its
 * secret options stay references here and in history; the create activity resolves them on the worker.
 * The name is the key: one already there is adopted only when it is what the spec asks for
 * (sameConnection). No Node imports: bundled into the workflow sandbox.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { ConnectionsCreateInput } from '../../activities/uc-connections.js';
import { sameConnection } from '../../common/uc-connection-options.js';
import type { ProvisionSpec } from './provision-spec.js';
import { deleteResource, type DeleteActivities } from './resource-deletes.js';
import type { SagaBook } from './saga-book.js';

export type ConnectionActivities = Pick<Activities, 'connectionsCreate' | 'connectionsGet'> & DeleteActivities;

/** Without the options given by reference: their values are known only on the worker, so they cannot be compared here. */
function withoutReferenced(options: Readonly<Record<string, unknown>>, wanted: ConnectionsCreateInput['options']): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([k]) => wanted[k] === undefined || typeof wanted[k] === 'string'));
}

/** The connection, named as given; resolves to its name. */
export async function provisionConnection(
  acts: ConnectionActivities,
  book: SagaBook,
  connection: NonNullable<ProvisionSpec['connection']>,
  names: { connection: string; comment: string },
): Promise<string> {
  const wanted: ConnectionsCreateInput = {
    name: names.connection,
    connection_type: connection.type,
    options: connection.options,
    comment: connection.comment ?? names.comment,
    ...(connection.readOnly ? { read_only: true } : {}),
  };
  return book.createdByName(
    'connection',
    wanted.name,
    () => acts.connectionsCreate(wanted),
    (name) => deleteResource(acts, 'connection', name),
    undefined,
    async () => {
      // Adopted only when it is the same source: another team's database must not pass for this spec's.
      const found = await acts.connectionsGet({ name: wanted.name });
      const comparable = (c: { options?: Readonly<Record<string, unknown>> }) => ({ ...c, options: withoutReferenced(c.options ?? {}, wanted.options) });
      if (!sameConnection(comparable(found), comparable(wanted))) {
        throw ApplicationFailure.create({
          type: 'ConnectionNameTaken',
          message: `the connection ${wanted.name} already exists with other settings (${found.connection_type ?? 'unknown type'}${found.url ? ` to ${found.url}` : ''}) than the spec's ${wanted.connection_type} connection`,
          nonRetryable: true,
        });
      }
      return wanted.name;
    },
  );
}
