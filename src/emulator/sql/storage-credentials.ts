import { createHash } from 'node:crypto';
import { MetastoreObjects } from './metastore-objects.js';
import { UcError } from './uc-error.js';

/**
 * Unity Catalog storage credentials (`/unity-catalog/storage-credentials`). Each names exactly one
 * cloud identity. The emulator never reaches cloud storage, so validation against the cloud is not
 * done (as with `skip_validation: true`), and secrets are not kept at all: an Azure client secret or
 * an R2 secret access key is write-only in the real API's answers, and here it is dropped on arrival,
 * so it cannot reach the metadata file, a log or an answer.
 */
export const IDENTITY_FIELDS = ['aws_iam_role', 'azure_managed_identity', 'azure_service_principal', 'databricks_gcp_service_account', 'cloudflare_api_token'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];
export type Identities = Partial<Record<IdentityField, Record<string, unknown>>>;

/** Request fields that are secrets: accepted, never stored or answered. */
const SECRET_FIELDS: Partial<Record<IdentityField, string>> = { azure_service_principal: 'client_secret', cloudflare_api_token: 'secret_access_key' };

/**
 * The IAM role Unity Catalog assumes from on AWS, as Databricks' storage-credential docs publish it
 * (a real answer's `unity_catalog_iam_arn`).
 */
const UC_MASTER_ROLE = 'arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL';

export interface CredentialFields extends Identities {
  comment?: string | undefined;
  read_only?: boolean | undefined;
}

/** The one identity a request names; more than one is refused, none is allowed only when `optional` (a PATCH). */
function identityOf(input: Identities, optional: boolean): IdentityField | undefined {
  const given = IDENTITY_FIELDS.filter((f) => input[f] !== undefined);
  // Unverified text; that a credential has exactly one identity is the API's model (one per StorageCredentialInfo).
  if (given.length > 1 || (given.length === 0 && !optional)) {
    throw new UcError(400, 'INVALID_PARAMETER_VALUE', `Exactly one of ${IDENTITY_FIELDS.join(', ')} must be specified${given.length > 1 ? `, got ${given.join(' and ')}` : ''}.`);
  }
  return given[0];
}

export class StorageCredentials extends MetastoreObjects {
  /** Names of the external locations that use a credential (by id); set by UnityCatalog. */
  usedBy: (credentialId: string) => string[] = () => [];

  create(name: string, user: string, input: CredentialFields): string {
    this.requirePrivilege(user, 'CREATE_STORAGE_CREDENTIAL');
    const field = identityOf(input, false)!;
    const n = this.newName(name);
    const m = this.insert(n, user, input.comment, { read_only: input.read_only ?? false });
    this.meta.update(this.key(n), { spec: { ...m.spec, identity: field, [field]: this.answered(field, input[field]!, m.id) } });
    return n;
  }

  /** PATCH; a new identity replaces the old one, and needs `force` while external locations use the credential (unverified). */
  update(name: string, user: string, input: CredentialFields & { new_name?: string | undefined; owner?: string | undefined; force?: boolean | undefined }): string {
    const m = this.requireManage(name, user);
    const field = identityOf(input, true);
    const spec: Record<string, unknown> = { ...(input.read_only !== undefined ? { read_only: input.read_only } : {}) };
    if (field) {
      const users = this.usedBy(m.id);
      if (users.length > 0 && !input.force) throw this.inUse(name, users, 'changed');
      for (const f of IDENTITY_FIELDS) spec[f] = undefined;
      Object.assign(spec, { identity: field, [field]: this.answered(field, input[field]!, m.id) });
    }
    return this.patch(name, user, { new_name: input.new_name, owner: input.owner, comment: input.comment, spec });
  }

  /** DROP CREDENTIAL docs: without FORCE "an error is raised when the credential is in use"; with it, its locations are left without one. */
  delete(name: string, user: string, force: boolean): void {
    const m = this.requireManage(name, user);
    const users = this.usedBy(m.id);
    if (users.length > 0 && !force) throw this.inUse(name, users, 'deleted');
    this.remove(name);
  }

  /** The answer for one object; with `user`, only if that user may see it (a GET), without it for the one who just wrote it. */
  info(name: string, user?: string): Record<string, unknown> {
    const n = name.toLowerCase();
    const m = user === undefined ? this.find(n) : this.findFor(n, user);
    const spec = m.spec ?? {};
    const field = spec.identity as IdentityField;
    return { ...this.common(n, m), [field]: spec[field], read_only: spec.read_only ?? false, used_for_managed_storage: false };
  }

  /** Names the caller may see, sorted. */
  visibleNames(user: string): string[] {
    return this.names().filter((n) => this.visibleTo(n, user));
  }

  /** The identity as answers show it: the secret dropped, and what Databricks fills in added. */
  private answered(field: IdentityField, given: Record<string, unknown>, id: string): Record<string, unknown> {
    const secret = SECRET_FIELDS[field];
    const kept = Object.fromEntries(Object.entries(given).filter(([k]) => k !== secret));
    const hash = createHash('sha256').update(id).digest('hex');
    switch (field) {
      case 'aws_iam_role':
        // external_id is the Databricks account id on a real workspace; here a stable stand-in.
        return { ...kept, unity_catalog_iam_arn: UC_MASTER_ROLE, external_id: `${hash.slice(0, 8)}-${hash.slice(8, 12)}-${hash.slice(12, 16)}-${hash.slice(16, 20)}-${hash.slice(20, 32)}` };
      case 'azure_managed_identity':
        return { ...kept, credential_id: id };
      case 'databricks_gcp_service_account':
        // Databricks makes the service account; the address format is the emulator's.
        return { email: `db-uc-storage-${hash.slice(0, 12)}@uc-emulator.iam.gserviceaccount.com`, credential_id: id };
      default:
        return kept;
    }
  }

  private inUse(name: string, users: string[], what: 'changed' | 'deleted'): UcError {
    // Unverified code and text; the docs only say an error is raised.
    return new UcError(400, 'INVALID_STATE', `Storage Credential '${name.toLowerCase()}' cannot be ${what} because it is used by ${users.length} external location(s): ${users.join(', ')}. Use force to ${what === 'deleted' ? 'delete' : 'change'} it anyway.`);
  }
}
