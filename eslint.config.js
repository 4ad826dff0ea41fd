import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

// Workflow code is replayed: it must not do I/O, read the clock, draw random numbers or use raw
// timers. These rules make any such use a lint error rather than a replay failure in production.
const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);
const workflowForbiddenModules = [...nodeBuiltins, 'undici', 'pino', '@temporalio/activity', '@temporalio/client', '@temporalio/worker', '@duckdb/node-api'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.durabricks/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: workflowForbiddenModules.map((name) => ({ name, message: 'Workflow code must be deterministic: no I/O or Node built-ins.' })),
          patterns: [
            {
              group: ['**/activities', '**/activities/**', '**/databricks', '**/databricks/**', '**/emulator/**', '**/worker/**', '**/dev/**'],
              allowTypeImports: true,
              message: 'Workflows may import activity TYPES only; call activities through proxyActivities.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use workflow time (Date is deterministic in the sandbox, but be explicit): workflowInfo() or sleep().' },
        { object: 'Math', property: 'random', message: 'Use uuid4() from @temporalio/workflow.' },
        { object: 'process', message: 'No process access in workflows.' },
      ],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'queueMicrotask', 'fetch', 'process', 'require', 'Buffer', '__dirname', '__filename'].map((name) => ({
          name,
          message: `${name} is not deterministic or not available in workflow code; use @temporalio/workflow APIs (sleep, condition, uuid4).`,
        })),
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() in a workflow: use workflow time explicitly via workflowInfo() or pass time in.' },
        { selector: 'ImportExpression', message: 'No dynamic imports in workflow code.' },
        // Workflow modules are preloaded once per sandbox context and shared by every workflow in it
        // (PRELOADED_WORKFLOW_MODULES): a module-level variable would leak state between workflows.
        { selector: "Program > VariableDeclaration[kind!='const'], Program > ExportNamedDeclaration > VariableDeclaration[kind!='const']", message: 'No module-level let/var in workflow code: modules are shared by every workflow in a sandbox context; keep state in the workflow function or its class.' },
      ],
    },
  },
);
