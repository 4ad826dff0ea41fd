import { invalidParameter } from '../../http/errors.js';

/** Git providers as Repos and Git credentials name them; both take them case-insensitively. */
export const GIT_PROVIDERS = ['gitHub', 'gitHubEnterprise', 'bitbucketCloud', 'bitbucketServer', 'gitLab', 'gitLabEnterpriseEdition', 'azureDevOpsServices', 'awsCodeCommit'] as const;

/** The provider's canonical spelling, or a 400 listing the valid ones. */
export function gitProvider(given: string): string {
  const provider = GIT_PROVIDERS.find((p) => p.toLowerCase() === given.toLowerCase());
  if (!provider) throw invalidParameter(`Invalid Git provider: ${given}. Valid values: ${GIT_PROVIDERS.join(', ')}.`);
  return provider;
}
