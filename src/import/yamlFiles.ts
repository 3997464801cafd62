/** The files an import writes, as data: src/source/yamlText renders them. */

/** The entity a finding of the security rules is about, as `accept:` needs it. */
export interface Subject {
  readonly kind: 'user' | 'role' | 'group' | 'provider';
  readonly account: string;
  readonly name: string;
}

export interface YamlItem {
  /** Written above the item, one `#` line per line. */
  readonly comment?: string;
  readonly value: Readonly<Record<string, unknown>>;
  readonly subject?: Subject;
}

export interface YamlFile {
  /** Relative to the output directory, with `/`. */
  readonly path: string;
  readonly header: string;
  readonly sections: readonly { readonly key: 'accounts' | 'providers' | 'users' | 'groups' | 'roles'; readonly items: readonly YamlItem[] }[];
}
