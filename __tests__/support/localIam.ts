/**
 * A local stand-in for the IAM Query API, for plans of adopted entities
 * (`adopt: true`): an `import` block makes terraform read the object it
 * imports, so an offline plan needs somewhere to read it from. It serves a
 * fixed account (users, groups, roles, their inline and attached policies,
 * OIDC providers) and answers the read calls the hashicorp/aws provider
 * makes for them, in IAM's XML. Signatures are not checked. Every call is
 * recorded; an action it does not know is logged loudly and answered with
 * an error, so a plan that needs more fails visibly.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface IamPrincipalState {
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly permissionsBoundaryArn?: string;
  /** Inline policies: name → document JSON. */
  readonly inlinePolicies?: Readonly<Record<string, string>>;
  readonly attachedPolicyArns?: readonly string[];
}

export interface IamRoleState extends IamPrincipalState {
  readonly trustPolicyJson: string;
  readonly description?: string;
  readonly maxSessionDuration?: number;
}

export interface IamGroupState extends IamPrincipalState {
  readonly members: readonly string[];
}

export interface IamOidcProviderState {
  readonly arn: string;
  readonly url: string;
  readonly clientIds: readonly string[];
  readonly thumbprints: readonly string[];
}

export interface IamAccountState {
  readonly users?: readonly IamPrincipalState[];
  readonly roles?: readonly IamRoleState[];
  readonly groups?: readonly IamGroupState[];
  readonly oidcProviders?: readonly IamOidcProviderState[];
}

export interface IamCall {
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
  /** The IAM error code answered, if any (NoSuchEntity, or UnknownAction for a call the stand-in does not serve). */
  readonly error?: string;
}

export interface LocalIam {
  /** For the provider's `endpoints { iam = ... }`. */
  readonly endpoint: string;
  readonly calls: readonly IamCall[];
  /** The actions asked for that the stand-in does not serve. */
  readonly unknownActions: readonly string[];
  close(): Promise<void>;
}

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const CREATED = '2024-01-02T03:04:05Z';

class NoSuchEntity extends Error {}

export async function startLocalIam(account: IamAccountState): Promise<LocalIam> {
  const calls: IamCall[] = [];
  const unknownActions: string[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const action = params['Action'] ?? '';
      const answer = (status: number, xml: string, error?: string) => {
        calls.push({ action, params, ...(error !== undefined ? { error } : {}) });
        response.writeHead(status, { 'Content-Type': 'text/xml' });
        response.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
      };
      const handler = HANDLERS[action];
      if (!handler) {
        unknownActions.push(action);
        console.error(`!!! localIam: unknown IAM action ${JSON.stringify(action)} with ${JSON.stringify(params)}`);
        answer(400, errorXml('UnknownAction', `localIam does not serve ${action}`), 'UnknownAction');
        return;
      }
      try {
        answer(200, `<${action}Response xmlns="${NS}"><${action}Result>${handler(account, params)}</${action}Result>${METADATA}</${action}Response>`);
      } catch (error) {
        if (!(error instanceof NoSuchEntity)) throw error;
        answer(404, errorXml('NoSuchEntity', error.message), 'NoSuchEntity');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    unknownActions,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

type Handler = (account: IamAccountState, params: Readonly<Record<string, string>>) => string;

const METADATA = '<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>';

function errorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlText(message)}</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>`;
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const element = (name: string, value: string | number | undefined): string => (value === undefined ? '' : `<${name}>${typeof value === 'number' ? value : xmlText(value)}</${name}>`);
const members = (items: readonly string[]): string => items.map((item) => `<member>${item}</member>`).join('');
/** IAM returns policy documents URL-encoded. */
const documentElement = (name: string, json: string): string => element(name, encodeURIComponent(json));

function tagsXml(tags: Readonly<Record<string, string>> | undefined): string {
  const entries = Object.entries(tags ?? {});
  return entries.length === 0 ? '' : `<Tags>${members(entries.map(([key, value]) => `${element('Key', key)}${element('Value', value)}`))}</Tags>`;
}

function boundaryXml(arn: string | undefined): string {
  return arn === undefined ? '' : `<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType>${element('PermissionsBoundaryArn', arn)}</PermissionsBoundary>`;
}

/** A stable fake unique id, e.g. AIDA + the name's hex. */
function uniqueId(prefix: string, name: string): string {
  return `${prefix}${Buffer.from(name).toString('hex').toUpperCase()}`.slice(0, 64);
}

function find<T extends { readonly name: string }>(items: readonly T[] | undefined, kind: string, name: string | undefined): T {
  const found = (items ?? []).find((item) => item.name === name);
  if (!found) throw new NoSuchEntity(`The ${kind} with name ${name} cannot be found.`);
  return found;
}

function userXml(user: IamPrincipalState): string {
  return `${element('Path', user.path)}${element('UserName', user.name)}${element('UserId', uniqueId('AIDA', user.name))}${element('Arn', user.arn)}${element('CreateDate', CREATED)}${boundaryXml(user.permissionsBoundaryArn)}${tagsXml(user.tags)}`;
}

function roleXml(role: IamRoleState): string {
  return (
    `${element('Path', role.path)}${element('RoleName', role.name)}${element('RoleId', uniqueId('AROA', role.name))}${element('Arn', role.arn)}${element('CreateDate', CREATED)}` +
    `${documentElement('AssumeRolePolicyDocument', role.trustPolicyJson)}${element('Description', role.description)}${element('MaxSessionDuration', role.maxSessionDuration ?? 3600)}` +
    `${boundaryXml(role.permissionsBoundaryArn)}${tagsXml(role.tags)}<RoleLastUsed/>`
  );
}

function groupXml(group: IamGroupState): string {
  return `${element('Path', group.path)}${element('GroupName', group.name)}${element('GroupId', uniqueId('AGPA', group.name))}${element('Arn', group.arn)}${element('CreateDate', CREATED)}`;
}

const notTruncated = '<IsTruncated>false</IsTruncated>';

function inlinePolicy(principal: IamPrincipalState, kind: string, name: string | undefined): string {
  const json = name === undefined ? undefined : principal.inlinePolicies?.[name];
  if (json === undefined) throw new NoSuchEntity(`The ${kind} policy with name ${name} cannot be found.`);
  return `${element('PolicyName', name)}${documentElement('PolicyDocument', json)}`;
}

function policyNames(principal: IamPrincipalState): string {
  return `<PolicyNames>${members(Object.keys(principal.inlinePolicies ?? {}).sort().map(xmlText))}</PolicyNames>${notTruncated}`;
}

function attachedPolicies(principal: IamPrincipalState): string {
  const attached = (principal.attachedPolicyArns ?? []).map((arn) => `${element('PolicyName', arn.slice(arn.lastIndexOf('/') + 1))}${element('PolicyArn', arn)}`);
  return `<AttachedPolicies>${members(attached)}</AttachedPolicies>${notTruncated}`;
}

function tagList(principal: IamPrincipalState): string {
  return `${tagsXml(principal.tags) || '<Tags/>'}${notTruncated}`;
}

function oidcProvider(account: IamAccountState, arn: string | undefined): IamOidcProviderState {
  const found = (account.oidcProviders ?? []).find((provider) => provider.arn === arn);
  if (!found) throw new NoSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
  return found;
}

const HANDLERS: Readonly<Record<string, Handler>> = {
  GetUser: (a, p) => `<User>${userXml(find(a.users, 'user', p['UserName']))}</User>`,
  ListUserTags: (a, p) => tagList(find(a.users, 'user', p['UserName'])),
  GetUserPolicy: (a, p) => `${element('UserName', p['UserName'])}${inlinePolicy(find(a.users, 'user', p['UserName']), 'user', p['PolicyName'])}`,
  ListUserPolicies: (a, p) => policyNames(find(a.users, 'user', p['UserName'])),
  ListAttachedUserPolicies: (a, p) => attachedPolicies(find(a.users, 'user', p['UserName'])),
  ListGroupsForUser: (a, p) => {
    const user = find(a.users, 'user', p['UserName']);
    return `<Groups>${members((a.groups ?? []).filter((g) => g.members.includes(user.name)).map(groupXml))}</Groups>${notTruncated}`;
  },

  GetRole: (a, p) => `<Role>${roleXml(find(a.roles, 'role', p['RoleName']))}</Role>`,
  ListRoleTags: (a, p) => tagList(find(a.roles, 'role', p['RoleName'])),
  GetRolePolicy: (a, p) => `${element('RoleName', p['RoleName'])}${inlinePolicy(find(a.roles, 'role', p['RoleName']), 'role', p['PolicyName'])}`,
  ListRolePolicies: (a, p) => policyNames(find(a.roles, 'role', p['RoleName'])),
  ListAttachedRolePolicies: (a, p) => attachedPolicies(find(a.roles, 'role', p['RoleName'])),

  GetGroup: (a, p) => {
    const group = find(a.groups, 'group', p['GroupName']);
    const users = group.members.map((name) => userXml(find(a.users, 'user', name)));
    return `<Group>${groupXml(group)}</Group><Users>${members(users)}</Users>${notTruncated}`;
  },
  GetGroupPolicy: (a, p) => `${element('GroupName', p['GroupName'])}${inlinePolicy(find(a.groups, 'group', p['GroupName']), 'group', p['PolicyName'])}`,
  ListGroupPolicies: (a, p) => policyNames(find(a.groups, 'group', p['GroupName'])),
  ListAttachedGroupPolicies: (a, p) => attachedPolicies(find(a.groups, 'group', p['GroupName'])),

  GetOpenIDConnectProvider: (a, p) => {
    const provider = oidcProvider(a, p['OpenIDConnectProviderArn']);
    return `${element('Url', provider.url.replace(/^https:\/\//, ''))}<ClientIDList>${members(provider.clientIds.map(xmlText))}</ClientIDList><ThumbprintList>${members(provider.thumbprints.map(xmlText))}</ThumbprintList>${element('CreateDate', CREATED)}`;
  },
  ListOpenIDConnectProviderTags: (a, p) => {
    oidcProvider(a, p['OpenIDConnectProviderArn']);
    return `<Tags/>${notTruncated}`;
  },
};
