export { buildApp, synthesize } from './synthesizeApp';
export { AccountIamStack } from './accountIamStack';
export { terraformName } from './logicalId';
