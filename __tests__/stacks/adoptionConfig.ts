/**
 * A config adopting existing IAM (`adopt: true`) beside entries rolecall
 * creates, for the adoption tests (stacks/adoption.ts): in account identity
 * an adopted user alice (tags, an AWS managed boundary), an adopted group
 * engineers (an AWS managed and a customer managed policy, members alice
 * and the new bob), an adopted role deployer (trusting alice, a managed
 * policy, allow statements), an adopted OIDC provider github trusted by the
 * adopted role ci; and new: user bob, role newcomer.
 */
export const ADOPTION_CONFIG = {
  'org.yaml': `
accounts:
  - name: identity
    id: "111111111111"
providers:
  - name: github
    account: identity
    adopt: true
    oidc:
      url: https://token.actions.githubusercontent.com
      audiences: [sts.amazonaws.com]
      thumbprints: [6938fd4d98bab03faadb97b34396831e3780aea1]
users:
  - name: alice
    account: identity
    adopt: true
    tags: { team: platform }
    permissionsBoundary: PowerUserAccess
  - name: bob
    account: identity
groups:
  - name: engineers
    account: identity
    adopt: true
    path: /teams/
    members: [alice, bob]
    managedPolicies: [ReadOnlyAccess, arn:aws:iam::111111111111:policy/team-extra]
roles:
  - name: deployer
    account: identity
    adopt: true
    description: deploys
    trust:
      - user: alice
    managedPolicies: [arn:aws:iam::111111111111:policy/deploy]
    allow:
      - actions: [s3:GetObject]
        resources: ["arn:aws:s3:::artifacts/*"]
  - name: ci
    account: identity
    adopt: true
    trust:
      - github: { repo: example/app, branch: main }
    allow:
      - actions: [s3:ListAllMyBuckets]
        resources: ["*"]
  - name: newcomer
    account: identity
    trust:
      - user: alice
    managedPolicies: [ReadOnlyAccess]
`,
};
