/**
 * The provisioning saga's storage step: a Unity Catalog storage credential for one cloud identity and
 * an external location on it. Both are keyed by name: one already there is adopted only when it is what
 * the spec asks for (src/common/uc-storage-match.ts). No Node imports: bundled into the workflow sandbox.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { sameExternalLocation, sameStorageCredential } from '../../common/uc-storage-match.js';
import type { ProvisionSpec } from './provision-spec.js';
import { deleteResource, type DeleteActivities } from './resource-deletes.js';
import type { SagaBook } from './saga-book.js';

export type StorageActivities = Pick<Activities, 'storageCredentialsCreate' | 'storageCredentialsGet' | 'externalLocationsCreate' | 'externalLocationsGet'> & DeleteActivities;

/** The credential and the location, named as given; `step` names each stage for the progress query. */
export async function provisionStorage(
  acts: StorageActivities,
  book: SagaBook,
  storage: NonNullable<ProvisionSpec['storage']>,
  names: { credential: string; location: string; comment: string },
  step: (name: string) => void,
): Promise<{ storageCredential: string; externalLocation: string }> {
  const { comment } = names;
  step('storage credential');
  const credential = { name: names.credential, ...storage.credential, comment };
  await book.createdByName(
    'storage_credential',
    credential.name,
    () => acts.storageCredentialsCreate(credential),
    (name) => deleteResource(acts, 'storage_credential', name),
    undefined,
    async () => {
      // Adopted only when it is the same identity: another principal's role must not back this spec's location.
      if (!sameStorageCredential(await acts.storageCredentialsGet({ name: credential.name }), credential)) {
        throw ApplicationFailure.create({ type: 'StorageCredentialNameTaken', message: `the storage credential ${credential.name} already exists with another identity`, nonRetryable: true });
      }
      return credential.name;
    },
  );
  step('external location');
  const location = { name: names.location, url: storage.url, credential_name: credential.name, ...(storage.readOnly ? { read_only: true } : {}), comment };
  await book.createdByName(
    'external_location',
    location.name,
    () => acts.externalLocationsCreate(location),
    (name) => deleteResource(acts, 'external_location', name),
    undefined,
    async () => {
      const found = await acts.externalLocationsGet({ name: location.name });
      if (!sameExternalLocation(found, location)) {
        throw ApplicationFailure.create({ type: 'ExternalLocationNameTaken', message: `the external location ${location.name} already exists for ${found.url ?? 'another URL'} on ${found.credential_name ?? 'another credential'}, not for ${location.url} on ${location.credential_name}`, nonRetryable: true });
      }
      return location.name;
    },
  );
  return { storageCredential: credential.name, externalLocation: location.name };
}
