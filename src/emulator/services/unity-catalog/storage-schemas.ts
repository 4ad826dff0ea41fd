import { z } from 'zod';
import { anyObject, bool, int, nonEmpty } from '../../http/validation.js';

/**
 * Request bodies of storage credentials and external locations, with the SDK's field names
 * (service/catalog.py). Cloud identities are objects whose required fields are named when missing;
 * fields the emulator has no use for (file events, encryption, isolation mode) are accepted and ignored.
 */
const identities = {
  aws_iam_role: z.object({ role_arn: nonEmpty() }).optional(),
  azure_managed_identity: z.object({ access_connector_id: nonEmpty(), managed_identity_id: z.string().optional() }).optional(),
  azure_service_principal: z.object({ directory_id: nonEmpty(), application_id: nonEmpty(), client_secret: nonEmpty() }).optional(),
  databricks_gcp_service_account: z.object({}).optional(),
  cloudflare_api_token: z.object({ access_key_id: nonEmpty(), secret_access_key: nonEmpty(), account_id: nonEmpty() }).optional(),
};
const ignored = {
  skip_validation: bool().optional(),
  isolation_mode: z.string().optional(),
  enable_file_events: bool().optional(),
  file_event_queue: anyObject().optional(),
  encryption_details: anyObject().optional(),
};
const rename = { new_name: nonEmpty().optional(), owner: nonEmpty().optional(), force: bool().optional() };

export const listInput = z.object({ max_results: int().optional(), page_token: z.string().optional(), include_unbound: bool().optional(), include_browse: bool().optional() });
export const readInput = z.object({ include_browse: bool().optional() });
export const deleteInput = z.object({ force: bool().optional() });

export const createCredentialInput = z.object({ name: nonEmpty(), comment: z.string().optional(), read_only: bool().optional(), ...identities, ...ignored });
export const updateCredentialInput = z.object({ comment: z.string().optional(), read_only: bool().optional(), ...identities, ...ignored, ...rename });

const location = { comment: z.string().optional(), read_only: bool().optional(), fallback: bool().optional(), ...ignored };
export const createLocationInput = z.object({ name: nonEmpty(), url: nonEmpty(), credential_name: nonEmpty(), ...location });
export const updateLocationInput = z.object({ url: nonEmpty().optional(), credential_name: nonEmpty().optional(), ...location, ...rename });
