import { z } from 'zod';
import { alreadyExists, notFound, permissionDenied } from '../../http/errors.js';
import { route, versions, type ApiRequest } from '../../http/router.js';
import { bool, nonEmpty } from '../../http/validation.js';
import { gitProvider } from '../repos/providers.js';
import { scimOf } from '../scim/index.js';
import type { ServiceModule } from '../types.js';

/**
 * Git credentials (`/api/2.0/git-credentials`): the personal access tokens Repos use to reach a Git
 * provider, each principal seeing only its own. The token is write-only: no answer carries it.
 * Several credentials per principal, at most one `is_default_for_provider` per provider (setting it
 * takes it from the others). A `name` is unique per principal here, so that a retried create can
 * find what an earlier attempt made (unverified of the real service). With `principal_id` (a service
 * principal's SCIM id) every verb acts on that service principal's credentials, as the workspace
 * admin settings page does; the API allows it to the service principal's managers, which the
 * emulator models as workspace admins and the service principal itself (the Service Principal Manager
 * role is an account-level role it does not have). The emulator's Repos make no Git calls, so
 * credentials are never checked against a provider.
 */
interface CredentialRecord {
  credential_id: number;
  owner: string;
  git_provider: string;
  git_username?: string;
  git_email?: string;
  name?: string;
  is_default_for_provider?: boolean;
  personal_access_token?: string;
}

const fields = {
  git_provider: nonEmpty(),
  git_username: z.string().optional(),
  git_email: z.string().optional(),
  name: z.string().optional(),
  is_default_for_provider: bool().optional(),
  personal_access_token: z.string().optional(),
  principal_id: z.union([z.number(), z.string()]).optional(),
};
const createInput = z.object(fields);
const onBehalf = z.object({ principal_id: z.union([z.number(), z.string()]).optional() });

const view = ({ owner: _o, personal_access_token: _t, ...shown }: CredentialRecord) => shown;

/** The optional fields a create or an update sets; what the request leaves out stays as it is. */
const OPTIONAL_FIELDS = ['git_username', 'git_email', 'name', 'is_default_for_provider', 'personal_access_token'] as const;
function assignGiven(record: CredentialRecord, input: z.output<typeof createInput>): void {
  for (const k of OPTIONAL_FIELDS) if (input[k] !== undefined) Object.assign(record, { [k]: input[k] });
}

export const gitCredentialsService: ServiceModule = {
  name: 'git-credentials',
  create(ctx) {
    const credentials = new Map<number, CredentialRecord>();
    const ownedBy = (owner: string) => [...credentials.values()].filter((c) => c.owner === owner);
    /** Whose credentials a request acts on: the caller's, or with `principal_id` a service principal's (its managers only). */
    const ownerFor = (input: { principal_id?: number | string | undefined }, req: ApiRequest): string => {
      if (input.principal_id === undefined) return req.principal.userName;
      const sp = scimOf(ctx).servicePrincipalById(String(input.principal_id));
      // Texts unverified: the API reference says only that service principal managers may act.
      if (!sp) throw notFound(`Service principal ${input.principal_id} does not exist.`);
      if (sp.userName !== req.principal.userName && !req.principal.isAdmin) throw permissionDenied(`Only managers of service principal ${input.principal_id} can manage its Git credentials.`);
      return sp.userName;
    };
    const find = (req: ApiRequest, owner: string) => {
      const raw = req.params.id!;
      const c = /^\d+$/.test(raw) ? credentials.get(Number(raw)) : undefined;
      // Someone else's credential is as invisible as a missing one.
      if (!c || c.owner !== owner) throw notFound(`Credential ${raw} does not exist.`);
      return c;
    };
    /** Checks a name and default flag against the owner's other credentials; throws before any change. */
    const check = (owner: string, next: Pick<CredentialRecord, 'name'>, self?: number) => {
      if (next.name && ownedBy(owner).some((c) => c.credential_id !== self && c.name === next.name)) throw alreadyExists(`A Git credential named ${next.name} already exists.`);
    };
    const takeDefault = (c: CredentialRecord) => {
      if (!c.is_default_for_provider) return;
      for (const other of ownedBy(c.owner)) if (other !== c && other.git_provider === c.git_provider) delete other.is_default_for_provider;
    };
    const base = versions(['2.0'], '/git-credentials');
    const one = versions(['2.0'], '/git-credentials/{id}');
    return {
      routes: [
        route({
          method: 'POST',
          paths: base,
          input: createInput,
          handle(input, req) {
            const record: CredentialRecord = { credential_id: 0, owner: ownerFor(input, req), git_provider: gitProvider(input.git_provider) };
            assignGiven(record, input);
            check(record.owner, record);
            let id = ctx.ids.numeric(15);
            while (credentials.has(id)) id = ctx.ids.numeric(15);
            record.credential_id = id;
            credentials.set(id, record);
            takeDefault(record);
            return view(record);
          },
        }),
        route({ method: 'GET', paths: base, input: onBehalf, handle: (input, req) => ({ credentials: ownedBy(ownerFor(input, req)).map(view) }) }),
        route({ method: 'GET', paths: one, input: onBehalf, handle: (input, req) => view(find(req, ownerFor(input, req))) }),
        route({
          method: 'PATCH',
          paths: one,
          input: createInput,
          handle(input, req) {
            const c = find(req, ownerFor(input, req));
            const next: CredentialRecord = { ...c, git_provider: gitProvider(input.git_provider) };
            assignGiven(next, input);
            check(c.owner, next, c.credential_id);
            credentials.set(c.credential_id, next);
            takeDefault(next);
            return {};
          },
        }),
        route({
          method: 'DELETE',
          paths: one,
          input: onBehalf,
          handle(input, req) {
            credentials.delete(find(req, ownerFor(input, req)).credential_id);
            return {};
          },
        }),
      ],
      snapshot: () => ({ credentials: [...credentials.values()] }),
      restore(state) {
        const list = (state as { credentials?: unknown }).credentials;
        if (!Array.isArray(list)) return;
        for (const c of list as CredentialRecord[]) if (typeof c?.credential_id === 'number' && typeof c.owner === 'string' && typeof c.git_provider === 'string') credentials.set(c.credential_id, c);
      },
    };
  },
};
