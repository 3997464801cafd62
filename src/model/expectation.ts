import type { SourceRef } from '../diagnostics/diagnostic';

/**
 * An `expect:` entry with its references resolved: what must (`can`) or must
 * not (`cannot`) be possible. The model only carries it; the analysers
 * (src/analysers/expectations.ts) decide it against the grants and policies.
 */
export interface Expectation {
  readonly who: ExpectedWho;
  readonly must: 'can' | 'cannot';
  readonly what: ExpectedAccess;
  readonly reason?: string;
  /** The `expect:` item. */
  readonly source: SourceRef;
}

/** Who is asked about: one principal of the model, or identities from outside it. */
export type ExpectedWho =
  | { readonly kind: 'user' | 'role'; readonly account: string; readonly name: string }
  /** The group's members: `can` must hold for each of them, `cannot` for all. */
  | { readonly kind: 'group'; readonly account: string; readonly name: string; readonly members: readonly string[] }
  /** Any principal of the account: those this config declares, and any other its admins allow (through `account:` trust). */
  | { readonly kind: 'account'; readonly account: string; readonly accountId: string }
  | { readonly kind: 'service'; readonly service: string }
  /** A token of one of these providers, with one of these subjects (none: cognito) and audiences. */
  | {
      readonly kind: 'web-identity';
      readonly trustKind: 'github' | 'oidc' | 'cognito';
      readonly providerArns: readonly string[];
      readonly subjects: readonly string[];
      readonly audiences: readonly string[];
      /** Cognito: authenticated or guest identities. */
      readonly amr?: 'authenticated' | 'unauthenticated';
    }
  | { readonly kind: 'saml'; readonly provider: string; readonly providerArn: string }
  /** Every principal whose home is none of these accounts (services, web identities and SAML sign-ins included). */
  | { readonly kind: 'outside'; readonly accounts: readonly { readonly name: string; readonly id: string }[] };

export type ExpectedAccess =
  | { readonly kind: 'assume'; readonly role: { readonly account: string; readonly name: string; readonly arn: string } }
  | {
      readonly kind: 'do';
      /** As written (wildcards kept), for messages. */
      readonly written: readonly string[];
      /** Every concrete action the written ones match, in AWS's spelling. */
      readonly actions: readonly string[];
      readonly resources: readonly string[];
    };
