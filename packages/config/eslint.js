// One lint setup for every workspace: typescript-eslint (type-aware) for TypeScript,
// @graphql-eslint for the operations in @runview/documents.
import js from '@eslint/js';
import graphqlPlugin from '@graphql-eslint/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ignores = ['**/dist/**', '**/node_modules/**', '**/__generated__/**', '**/test-output/**', '**/*.d.ts'];

/**
 * @param {{ tsconfigRootDir: string, browser?: boolean, operations?: { schema: string } }} options
 */
export function config({ tsconfigRootDir, browser = false, operations }) {
  const blocks = [
    { ignores },
    {
      files: ['**/*.{ts,tsx,mts}'],
      extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
      languageOptions: {
        globals: browser ? { ...globals.browser } : { ...globals.node },
        parserOptions: { projectService: true, tsconfigRootDir },
      },
      rules: {
        '@typescript-eslint/consistent-type-imports': 'error',
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
        '@typescript-eslint/no-extraneous-class': 'off',
        // GraphQL and Prefect use snake_case on the wire; the checker already keeps us honest about it.
        '@typescript-eslint/dot-notation': 'off',
      },
    },
    {
      files: ['**/*.{js,mjs}'],
      extends: [js.configs.recommended],
      languageOptions: { globals: { ...globals.node } },
    },
  ];
  if (operations) {
    blocks.push({
      files: ['**/*.graphql'],
      languageOptions: {
        parser: graphqlPlugin.parser,
        // Every entry's operations and the fragments they share (src/fragments), so a spread
        // resolves wherever its fragment lives and names stay unique across entries.
        parserOptions: { graphQLConfig: { schema: operations.schema, documents: ['src/**/*.graphql'] } },
      },
      plugins: { '@graphql-eslint': graphqlPlugin },
      rules: {
        ...graphqlPlugin.configs['flat/operations-recommended'].rules,
        // Prefect's API is snake_case; operation names are PascalCase like the generated types.
        '@graphql-eslint/naming-convention': [
          'error',
          {
            allowLeadingUnderscore: true,
            OperationDefinition: { style: 'PascalCase', forbiddenSuffixes: ['Query', 'Mutation', 'Subscription'] },
            VariableDefinition: 'camelCase',
          },
        ],
        '@graphql-eslint/require-selections': 'off',
      },
    });
  }
  return tseslint.config(...blocks);
}
