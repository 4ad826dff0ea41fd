import { canonicalGitProvider, GIT_PROVIDERS } from '../../../common/git.js';
import { invalidParameter } from '../../http/errors.js';

/** The provider's canonical spelling, or a 400 listing the valid ones. */
export function gitProvider(given: string): string {
  const provider = canonicalGitProvider(given);
  if (!provider) throw invalidParameter(`Invalid Git provider: ${given}. Valid values: ${GIT_PROVIDERS.join(', ')}.`);
  return provider;
}
