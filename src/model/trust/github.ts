import { at } from '../../diagnostics/diagnostic';
import { checkAudience, findGithubProvider, findProvider, webIdentityTarget } from './identityProviders';
import { mfaNeverPresent, type EntryOf, type TrustKindRule } from './target';

/** `github: { repo, branch | environment | tag | ref }`: GitHub Actions, one repository and one ref. */
export const githubKind: TrustKindRule<'github'> = {
  refuses: { mfa: mfaNeverPresent('github') },
  targets(entry, context) {
    const github = entry.github;
    const provider = github.provider !== undefined
      ? findProvider(github.provider, 'oidc', at(context.source, 'github', 'provider'), context)
      : findGithubProvider(context.role.account, at(context.source, 'github'), context);
    if (!provider) return [];
    const audience = github.audience ?? 'sts.amazonaws.com';
    if (!checkAudience(provider, [audience], at(context.source, 'github', github.audience ? 'audience' : 'repo'), context)) return [];
    return [webIdentityTarget('github', provider, [audience], [githubSubject(github)], at(context.source, 'github'))];
  },
};

/** The sub claim GitHub issues for a job of that repository on that ref. */
export function githubSubject(github: EntryOf<'github'>['github']): string {
  if (github.branch !== undefined) return `repo:${github.repo}:ref:refs/heads/${github.branch}`;
  if (github.environment !== undefined) return `repo:${github.repo}:environment:${github.environment}`;
  if (github.tag !== undefined) return `repo:${github.repo}:ref:refs/tags/${github.tag}`;
  return `repo:${github.repo}:ref:${github.ref}`;
}
