import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // The published-packages test's apps are copied out, installed from the tarballs and checked by their own tsc.
    ignores: ['**/dist/**', '**/node_modules/**', '.tools/**', '.cache/**', 'ops/**', 'packages/sightline/test/fixtures/published-apps/**'],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['packages/*/src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // API and SDK apart: only the SDK folder (the `sightline/sdk` and `sightline/register`
    // entries) may load the OpenTelemetry SDK, exporters, propagators and instrumentations.
    // Everything else instruments through `@opentelemetry/api` (type imports are free).
    // The local viewer (sightline-cli's dev/) is an OTLP receiver, not instrumented code: it serves gRPC.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/sightline/src/telemetry/**', 'packages/cli/src/dev/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@opentelemetry/*', '!@opentelemetry/api', '!@opentelemetry/semantic-conventions', '@grpc/*'],
              allowTypeImports: true,
              message:
                'The OpenTelemetry SDK, exporters and instrumentations load only from packages/sightline/src/telemetry/ (the sightline/sdk entry); elsewhere use @opentelemetry/api.',
            },
          ],
        },
      ],
    },
  },
  {
    // The JavaScript shims of package bins only import the package's TypeScript entry point;
    // the viewer's browser script is plain JavaScript served as is.
    files: ['eslint.config.js', 'packages/*/bin/*.js', 'packages/cli/assets/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // CommonJS fixtures (apps that must be CommonJS to test CommonJS loading) are outside the TypeScript project.
    files: ['**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
