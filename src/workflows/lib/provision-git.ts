/**
 * The provisioning saga's Git steps: a Git credential (the worker's identity's, or a service principal's)
 * and a repo (Git folder) in its folder under /Repos, checked out at a branch or tag. Both are keyed by
 * name (the credential's name, the repo's path): one already there is adopted only when it is what the
 * spec asks for. No Node imports: bundled into the workflow sandbox.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { FailureType, isFailureType } from '../../common/activity-policies.js';
import { sameRepoUrl } from '../../common/git.js';
import type { ProvisionSpec } from './provision-spec.js';
import { deleteResource, type DeleteActivities } from './resource-deletes.js';
import type { SagaBook } from './saga-book.js';

export type GitActivities = Pick<Activities, 'gitCredentialsCreate' | 'gitCredentialsList' | 'servicePrincipalsList' | 'workspaceGetStatus' | 'workspaceMkdirs' | 'reposCreate' | 'reposList' | 'reposUpdate'> & DeleteActivities;

/**
 * The credential named `name`, the worker's own or, with `servicePrincipal`, that service principal's
 * (the API's `principal_id` on every call: the create, the lookup of an existing one, the undo); its id.
 */
export async function provisionGitCredential(acts: GitActivities, book: SagaBook, credential: NonNullable<ProvisionSpec['gitCredential']>, name: string): Promise<number> {
  const { provider, username, token } = credential;
  const owner = credential.servicePrincipal === undefined ? {} : { principal_id: await servicePrincipalId(acts, credential.servicePrincipal) };
  const id = await book.createdByName(
    'git_credential',
    name,
    () => acts.gitCredentialsCreate({ git_provider: provider, ...(username ? { git_username: username } : {}), personal_access_token: token, name, ...owner }),
    (credentialId) => deleteResource(acts, 'git_credential', credentialId, { gitCredentialOwner: owner }),
    (c) => String(c.credential_id),
    async () => {
      const found = (await acts.gitCredentialsList(owner)).find((c) => c.name === name);
      if (!found || found.git_provider?.toLowerCase() !== provider.toLowerCase()) {
        throw ApplicationFailure.create({ type: 'GitCredentialNameTaken', message: `the Git credential ${name} already exists${found ? ` for ${found.git_provider}` : ''}, not for ${provider}`, nonRetryable: true });
      }
      return String(found.credential_id);
    },
  );
  return Number(id);
}

/** The SCIM id of the service principal with this application id (what `principal_id` takes). */
export async function servicePrincipalId(acts: Pick<Activities, 'servicePrincipalsList'>, applicationId: string): Promise<number> {
  const [sp] = await acts.servicePrincipalsList({ filter: `applicationId eq "${applicationId}"` });
  if (!sp?.id) throw ApplicationFailure.create({ type: 'ServicePrincipalNotFound', message: `no service principal with application id ${applicationId} in the workspace (the owner the spec names for the Git credential)`, nonRetryable: true });
  return Number(sp.id);
}

/** The repo at `repo.path` (its folder first), checked out as asked; its id. `step` names each stage for the progress query. */
export async function provisionRepo(acts: GitActivities, book: SagaBook, repo: NonNullable<ProvisionSpec['repo']>, step: (name: string) => void): Promise<number> {
  await repoFolder(acts, book, repo.path);
  const id = await book.createdByName(
    'repo',
    repo.path,
    () => acts.reposCreate({ url: repo.url, provider: repo.provider, path: repo.path }),
    (repoId) => deleteResource(acts, 'repo', repoId),
    (r) => String(r.id),
    async () => {
      // Adopted only when it clones the same remote: another repo at the path is not this spec's.
      const found = (await acts.reposList({ path_prefix: repo.path })).find((r) => r.path === repo.path);
      if (!found || !sameRepoUrl(found.url, repo.url)) {
        throw ApplicationFailure.create({ type: 'RepoPathTaken', message: `${repo.path} already holds ${found ? `a clone of ${found.url}` : 'another workspace object'}, not ${repo.url}`, nonRetryable: true });
      }
      return String(found.id);
    },
  );
  if (repo.branch !== undefined || repo.tag !== undefined) {
    step('repo checkout');
    await acts.reposUpdate({ repo_id: id, ...(repo.branch !== undefined ? { branch: repo.branch } : { tag: repo.tag }) });
  }
  return Number(id);
}

/**
 * The repo's folder (/Repos/<folder>): the Repos API may not create it (unverified; the title of
 * databricks/databricks-vscode#465, "Allow creation of repos even if /Repos/me doesn't exist", suggests
 * it does not). Made here, and removed by the undo, only when missing.
 */
async function repoFolder(acts: GitActivities, book: SagaBook, path: string): Promise<void> {
  const folder = path.slice(0, path.lastIndexOf('/'));
  try {
    await acts.workspaceGetStatus({ path: folder });
    return;
  } catch (err) {
    if (!isFailureType(err, FailureType.NotFound)) throw err;
  }
  // The undo removes the folder only while it is empty (not recursive: someone may have added to it).
  await book.created('folder', folder, () => acts.workspaceMkdirs({ path: folder }), () => folder, (path) => deleteResource(acts, 'folder', path));
}
