/**
 * The kind keys of a trust entry, in the order the spec lists them. Plain
 * data (no zod), so that the model stage can read an entry's kind without
 * loading the schema.
 */
export const TRUST_KIND_KEYS = ['user', 'users', 'role', 'roles', 'group', 'groups', 'account', 'service', 'github', 'oidc', 'cognito', 'saml'] as const;

export type TrustKindKey = (typeof TRUST_KIND_KEYS)[number];
