/**
 * Git facts shared by the emulator, the activities and the workflows (no imports: it is bundled into
 * the workflow sandbox).
 */

/** Git providers as Repos and Git credentials name them; both take them case-insensitively. */
export const GIT_PROVIDERS = ['gitHub', 'gitHubEnterprise', 'bitbucketCloud', 'bitbucketServer', 'gitLab', 'gitLabEnterpriseEdition', 'azureDevOpsServices', 'awsCodeCommit'] as const;

/** The provider's canonical spelling, or undefined when it is not one. */
export function canonicalGitProvider(given: string): (typeof GIT_PROVIDERS)[number] | undefined {
  return GIT_PROVIDERS.find((p) => p.toLowerCase() === given.toLowerCase());
}

/**
 * Whether two clone URLs name the same remote: the scheme's and host's case, trailing slashes and a
 * `.git` suffix do not matter; the path's case does (GitHub ignores it, other servers may not).
 */
export function sameRepoUrl(a: string | undefined, b: string | undefined): boolean {
  const norm = (u: string | undefined) => {
    const trimmed = (u ?? '').trim().replace(/\/+$/, '').replace(/\.git$/, '');
    const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/]*)(.*)$/i.exec(trimmed);
    return m ? `${m[1]!.toLowerCase()}${m[2]!.toLowerCase()}${m[3]}` : trimmed;
  };
  return norm(a) !== '' && norm(a) === norm(b);
}
