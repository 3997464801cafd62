/**
 * OIDC subjects checked by what each issuer puts in them. A wildcard in the
 * part of a subject that says which repository, project, workspace or
 * service account lets in identities nobody named; a wildcard elsewhere
 * (a branch pattern, the step of a pipeline run) is how these issuers are
 * meant to be used. IAM's StringLike `*` also matches `:` and `/`, so every
 * identifying part must be literal.
 */

export interface SubjectFinding {
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

interface IssuerRule {
  /** The issuer (the provider URL without https://) is this one's. */
  readonly issuer: RegExp;
  /** A subject that only this issuer's subjects look like: a self-managed issuer of the same software. */
  readonly subjectShape?: RegExp;
  /** What is wrong with the subject, if anything. */
  check(subject: string, issuer: string): string | undefined;
}

const WILDCARD = /[*?]/;
const ONLY_WILDCARDS = /^[*?]+$/;
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** token.actions.githubusercontent.com: repo:OWNER/NAME:ref:refs/heads/X | environment:X | ref:refs/... | pull_request. */
const github: IssuerRule = {
  // The public issuer, an enterprise's own (…/ENTERPRISE), and GitHub Enterprise Server (HOST/_services/token).
  issuer: /^token\.actions\.githubusercontent\.com(?:\/[^/]+)?$|\/_services\/token$/i,
  check(subject) {
    const match = /^repo:([^*?/:]+)\/([^*?:]+):(.+)$/.exec(subject);
    if (!match) return `GitHub subject "${subject}" does not name one repository: write repo:OWNER/NAME:..., or use a github: trust entry`;
    const [, owner, name, rest] = match;
    if (githubRefPart(rest!)) return undefined;
    return `GitHub subject "${subject}" does not name one branch, environment, tag or ref of ${owner}/${name}: end it with :ref:refs/heads/BRANCH, :environment:NAME, :ref:refs/tags/TAG or :pull_request (a pattern such as release/* is fine, a bare wildcard lets every ref in), or use a github: trust entry`;
  },
};

function githubRefPart(rest: string): boolean {
  if (rest === 'pull_request') return true;
  const environment = /^environment:(.+)$/.exec(rest);
  if (environment) return !ONLY_WILDCARDS.test(environment[1]!);
  const ref = /^ref:(refs\/.+)$/.exec(rest);
  // refs/*, refs/heads/*, refs/tags/**: every branch or tag.
  return ref !== null && !/^refs\/(?:[^/*?]+\/)?[*?]+$/.test(ref[1]!);
}

/** gitlab.com (or a self-managed GitLab): project_path:GROUP/PROJECT:ref_type:branch|tag:ref:NAME. */
const gitlab: IssuerRule = {
  issuer: /^gitlab\.com$/i,
  subjectShape: /^project_path:/,
  check(subject) {
    const match = /^project_path:([^:]*):(.*)$/.exec(subject);
    const project = match?.[1];
    if (!match || project === undefined || WILDCARD.test(project) || !/^[^/]+(?:\/[^/]+)+$/.test(project)) {
      return `GitLab subject "${subject}" does not name one project: write project_path:GROUP/PROJECT:ref_type:branch:ref:NAME, with no wildcard in the project path`;
    }
    const ref = /^ref_type:(branch|tag):ref:(.+)$/.exec(match[2]!);
    if (ref && !ONLY_WILDCARDS.test(ref[2]!)) return undefined;
    return `GitLab subject "${subject}" does not name one branch or tag of ${project}: end it with :ref_type:branch:ref:NAME or :ref_type:tag:ref:NAME (a pattern such as release/* is fine, a bare wildcard lets every ref in)`;
  },
};

/** oidc.eks.REGION.amazonaws.com/id/ID: system:serviceaccount:NAMESPACE:NAME. */
const eks: IssuerRule = {
  issuer: /^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/id\/[A-Za-z0-9]+$/i,
  check(subject) {
    if (/^system:serviceaccount:[^:*?]+:[^:*?]+$/.test(subject)) return undefined;
    return `EKS subject "${subject}" does not name one service account: write system:serviceaccount:NAMESPACE:NAME, with no wildcard (a wildcard lets in every service account of the namespace, or of the cluster)`;
  },
};

/** app.terraform.io (or Terraform Enterprise): organization:ORG:project:P:workspace:W:run_phase:plan|apply. */
const terraformCloud: IssuerRule = {
  issuer: /^app\.terraform\.io$/i,
  subjectShape: /^organization:[^:]*:project:/,
  check(subject) {
    // run_phase:* is one workspace's plans and applies: HashiCorp's own example.
    if (/^organization:[^:*?]+:project:[^:*?]+:workspace:[^:*?]+:run_phase:(?:plan|apply|\*)$/.test(subject)) return undefined;
    return `Terraform Cloud subject "${subject}" does not name one workspace: write organization:ORG:project:PROJECT:workspace:WORKSPACE:run_phase:apply (or plan, or * for both), with no wildcard in the organization, project or workspace`;
  },
};

/** api.bitbucket.org/2.0/workspaces/WS/pipelines-config/identity/oidc: {REPOSITORY_UUID}[:{ENVIRONMENT_UUID}]:{STEP_UUID}. */
const bitbucket: IssuerRule = {
  issuer: /^api\.bitbucket\.org\/2\.0\/workspaces\/[^/]+\/pipelines-config\/identity\/oidc$/i,
  check(subject) {
    // The step UUID is new on every run: a wildcard there is the only way to use the trust twice.
    if (new RegExp(`^\\{${UUID}\\}:(?:\\{${UUID}\\}:)?(?:\\{${UUID}\\}|\\*|\\{\\*\\})$`).test(subject)) return undefined;
    return `Bitbucket subject "${subject}" does not name one repository: write {REPOSITORY_UUID}:* (or {REPOSITORY_UUID}:{ENVIRONMENT_UUID}:* for one deployment environment), the UUIDs in full with their braces`;
  },
};

/** oidc.circleci.com/org/ORG_ID: org/ORG_ID/project/PROJECT_ID/user/USER_ID. */
const circleci: IssuerRule = {
  issuer: new RegExp(`^oidc\\.circleci\\.com/org/${UUID}$`, 'i'),
  check(subject, issuer) {
    const match = new RegExp(`^org/(${UUID})/project/${UUID}/user/(?:${UUID}|\\*)$`).exec(subject);
    if (!match) {
      return `CircleCI subject "${subject}" does not name one project: write org/ORG_ID/project/PROJECT_ID/user/* (or one user id), the ids in full`;
    }
    const issuerOrg = issuer.slice(issuer.lastIndexOf('/') + 1);
    if (match[1]!.toLowerCase() !== issuerOrg.toLowerCase()) {
      return `CircleCI subject "${subject}" names organization ${match[1]}, but this provider issues tokens of organization ${issuerOrg}: no token would ever match; use that organization's id`;
    }
    return undefined;
  },
};

/** Known issuers, tried in order. */
export const ISSUER_RULES: readonly IssuerRule[] = [github, gitlab, eks, terraformCloud, bitbucket, circleci];

/** The rule for this issuer: by its URL, or else by the shape of the subject (a self-managed GitLab or Terraform Enterprise). */
function ruleFor(issuer: string, subject: string): IssuerRule | undefined {
  return ISSUER_RULES.find((rule) => rule.issuer.test(issuer)) ?? ISSUER_RULES.find((rule) => rule.subjectShape?.test(subject));
}

/**
 * What is wrong with `subject` on the provider whose condition keys start
 * with `issuer`: an error on a known issuer, a warning for a wildcard on an
 * issuer rolecall does not know.
 */
export function subjectFinding(issuer: string, subject: string): SubjectFinding | undefined {
  const rule = ruleFor(issuer, subject);
  if (rule) {
    const problem = rule.check(subject, issuer);
    return problem === undefined ? undefined : { severity: 'error', message: problem };
  }
  if (!WILDCARD.test(subject)) return undefined;
  return {
    severity: 'warning',
    message: `subject "${subject}" holds a wildcard, and rolecall does not know what issuer ${issuer} puts in its subjects: check that the pattern matches only identities you mean to let in, or write the subject in full`,
  };
}
