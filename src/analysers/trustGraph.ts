import type { AccessModel, Grantee } from '../model/accessModel';
import { wayConditions } from './accessReport';
import { githubSubject } from './describeGrant';
import { principalKey } from './reach';
import { waysIn, type WayIn } from './waysIn';

/**
 * Who can get into what, as a graph: principals → roles → roles. Every user
 * and role of the model is a node, in its account; every grantee that is no
 * principal of the model (external accounts, services, identity providers,
 * Cognito pools) is a node outside them; every open way in is an edge with
 * the conditions the access report lists for it. A role reached through
 * another role (role chaining) is an edge from that role: the chains are
 * the graph's paths. A way the caller's own Deny closes is no way in, and
 * not drawn. Plain data, in a canonical order, compared by the diff.
 */
export interface TrustGraph {
  /** The managed accounts, each drawn as a box of its principals. */
  readonly accounts: readonly GraphAccount[];
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

export interface GraphAccount {
  readonly name: string;
  readonly id: string;
}

export type NodeKind =
  | 'user'
  | 'role'
  /** Any principal of a managed account whose own policy allows it (an `account:` trust on a managed account). */
  | 'account'
  | 'external-account'
  /** A user or role named in a trust entry that the config does not define (another account's). */
  | 'external-principal'
  | 'service'
  | 'github'
  | 'oidc'
  | 'saml'
  | 'cognito'
  /** Unauthenticated guests of a Cognito identity pool: anyone on the internet. */
  | 'anyone';

export interface GraphNode {
  /** Unique and stable across configs: what the diff compares. Never shown, never an id in the diagram. */
  readonly key: string;
  readonly kind: NodeKind;
  /** What the node shows, e.g. `role s3-reader` (the account is its box). */
  readonly label: string;
  /** The managed account whose box holds it; none for principals outside the managed accounts. */
  readonly account?: string;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** `trust`: the trust entry admits the caller; `own-policy`: a principal of a trusted account, by its own policy. */
  readonly way: 'trust' | 'own-policy';
  /** `possible`: it depends on policies rolecall cannot see (the first condition names them). */
  readonly certainty: 'sure' | 'possible';
  /** In the access report's words, one per line of the edge's label. */
  readonly conditions: readonly string[];
}

export function trustGraph(model: AccessModel): TrustGraph {
  const managed = new Set(model.stacks.map((s) => s.account));
  const accounts = model.accounts.filter((a) => managed.has(a.name)).map((a) => ({ name: a.name, id: a.id }));
  const nodes = new Map<string, GraphNode>();
  const add = (node: GraphNode) => {
    if (!nodes.has(node.key)) nodes.set(node.key, node);
  };
  for (const user of model.users) add({ key: principalKey(user), kind: 'user', label: `user ${user.name}`, account: user.account });
  for (const role of model.roles) add({ key: principalKey(role), kind: 'role', label: `role ${role.name}`, account: role.account });
  const providerNames = new Map(model.providers.map((p) => [p.arn, `${p.name} in ${p.account}`]));
  const edges = new Map<string, GraphEdge>();
  for (const way of waysIn(model)) {
    if (way.blockedBy !== undefined) continue;
    const from = way.caller ? principalKey(way.caller) : granteeNode(way, providerNames);
    if (typeof from !== 'string') add(from);
    const edge = graphEdge(way, typeof from === 'string' ? from : from.key);
    edges.set(edgeKey(edge), edge);
  }
  return {
    accounts: accounts.sort((a, b) => compareText(a.name, b.name)),
    nodes: [...nodes.values()].sort((a, b) => compareText(a.key, b.key)),
    edges: [...edges].sort(([a], [b]) => compareText(a, b)).map(([, edge]) => edge),
  };
}

/** One edge per caller, role, way and conditions: the same way twice (two trust entries alike) is drawn once. */
export function edgeKey(edge: GraphEdge): string {
  return JSON.stringify([edge.from, edge.to, edge.way, edge.certainty, edge.conditions]);
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function graphEdge(way: WayIn, from: string): GraphEdge {
  const to = principalKey({ kind: 'role', ...way.role });
  const how = way.via === 'identity-policy' ? [ownPolicyWords(way)] : [];
  // The GitHub subject is the node's in the report's words; here the node is the provider, so the edge says which repository and ref.
  const subjects = way.grant.trustKind === 'github' && way.grant.grantee.kind === 'web-identity' ? [way.grant.grantee.subjects.map(githubSubject).join(' or ')] : [];
  return {
    from,
    to,
    way: way.via === 'identity-policy' ? 'own-policy' : 'trust',
    certainty: way.certainty,
    conditions: [...new Set([...how, ...subjects, ...wayConditions(way)])],
  };
}

function ownPolicyWords(way: WayIn): string {
  if (way.allowedBy) return `by its own policy (${way.allowedBy.policy.replace(/^arn:[^:]+:iam::aws:policy\//, '')})`;
  return `if ${way.unseen.join(' or ')} allows it`;
}

/** The node of a grantee that is no principal of the model. */
function granteeNode(way: WayIn, providerNames: ReadonlyMap<string, string>): GraphNode {
  const grantee: Grantee = way.grant.grantee;
  const provider = (arn: string, name: string) => providerNames.get(arn) ?? name;
  switch (grantee.kind) {
    case 'user':
    case 'role':
      return { key: principalKey(grantee), kind: 'external-principal', label: `${grantee.kind} ${grantee.account}/${grantee.name}` };
    case 'account':
      if (!grantee.external) return { key: `account:${grantee.accountId}`, kind: 'account', label: `any principal of ${grantee.account} whose own policy allows it`, account: grantee.account };
      return {
        key: `account:${grantee.accountId}`,
        kind: 'external-account',
        label: grantee.account === grantee.accountId ? `external account ${grantee.accountId}` : `external account ${grantee.account} (${grantee.accountId})`,
      };
    case 'service':
      return { key: `service:${grantee.service}`, kind: 'service', label: `service ${grantee.service}` };
    case 'saml':
      return { key: `saml:${grantee.providerArn}`, kind: 'saml', label: `SAML sign-in, provider ${provider(grantee.providerArn, grantee.provider)}` };
    case 'web-identity':
      switch (way.grant.trustKind) {
        case 'github':
          return { key: `github:${grantee.providerArn}`, kind: 'github', label: `GitHub Actions, provider ${provider(grantee.providerArn, grantee.provider)}` };
        case 'cognito': {
          const pools = grantee.audiences.join(', ');
          return cognitoGuests(way)
            ? { key: `cognito-guests:${pools}`, kind: 'anyone', label: `anyone: guests of Cognito pool ${pools}` }
            : { key: `cognito:${pools}`, kind: 'cognito', label: `Cognito identities of pool ${pools}` };
        }
        default:
          return { key: `oidc:${grantee.providerArn}`, kind: 'oidc', label: `OIDC identities, provider ${provider(grantee.providerArn, grantee.provider)}` };
      }
  }
}

/** A Cognito trust for unauthenticated identities (`authenticated: false`). */
function cognitoGuests(way: WayIn): boolean {
  return Object.values(way.grant.conditionBlock).some((keys) => Object.entries(keys).some(([key, values]) => key.endsWith(':amr') && values.includes('unauthenticated')));
}
