/**
 * Types for every operation of the console, from the hub's committed schema. `npm run
 * console:codegen` writes web/src/gql/; `npm run lint` checks that it is current.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['web/src/**/*.tsx', 'web/src/**/*.ts', '!web/src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'web/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: true,
        onlyOperationTypes: false,
        scalars: {
          DateTime: 'string',
          CountryCode: 'string',
          UNLocode: 'string',
          IMONumber: 'string',
          MMSI: 'string',
        },
      },
    },
  },
};

export default config;
