/**
 * Lint: a small, deliberate rule set. Type-aware rules catch the promise mistakes that lose errors
 * in an Electron main process and unchecked `any` crossing module boundaries; the import rules below
 * keep the layers as the README's Architecture table draws them.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

/**
 * Architecture as lint rules. Each folder gets exactly one `no-restricted-imports` entry (a later
 * entry for the same file would replace, not extend, an earlier one), and every pattern says why.
 */
/** What ISO Desk reads from a publisher's server before an upload: main/remote, main/sniff, main/checksums. */
const FILE_CHECKS = ['remote', 'sniff', 'checksums'];
const LAYERS = ['domain', 'api', 'cache', 'sync', 'tasks', 'services', 'session', 'events', 'ipc', 'cli', 'web', 'shell', 'local-api', 'build', ...FILE_CHECKS];
const ELECTRON = {
  group: ['electron', 'electron/*'],
  // Types describe Electron without running it: the shell's tests build their double from them.
  allowTypeImports: true,
  message: 'Only main/shell/ (and the preload) import electron: everything else runs and is tested under plain Node.',
};
/** Imports of the named main/ folders, whether spelled from inside main/ or from elsewhere. */
const folders = (names, message) => ({ group: names.flatMap((n) => [`../${n}/*`, `../../${n}/*`, `**/main/${n}/*`]), message });
const except = (allowed) => LAYERS.filter((l) => !allowed.includes(l));
function boundary(files, patterns) {
  return { files, rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] } };
}

export default tseslint.config(
  { ignores: ['dist/', 'release/', 'test-results/', '.cache/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.svelte'] },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Stripping control characters from what reaches a terminal is the point of those expressions.
      'no-control-regex': 'off',
    },
  },
  {
    // `any` must not flow through product code unchecked; tests use vitest's `expect.any()` matchers,
    // which are typed `any` by design.
    files: ['main/**/*.ts', 'preload/**/*.ts', 'renderer/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
    },
  },
  {
    // Plain Sets and Maps in runes modules are private bookkeeping, deliberately not reactive.
    files: ['**/*.svelte.ts'],
    rules: { 'svelte/prefer-svelte-reactivity': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, svelteConfig: {} }, globals: { ...globals.browser } },
  },
  { files: ['renderer/**'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },

  // Architecture: lower layers never import higher ones (domain → api → cache → tasks → services →
  // ipc / cli / web / shell); main/ipc/contract.ts is pure data that every layer may share.
  boundary(['main/domain/**'], [ELECTRON, folders(except([]), 'main/domain is the bottom layer: it imports nothing else from main/.')]),
  boundary(['main/api/**'], [ELECTRON, folders(except(['domain']), 'main/api is the HOSTKEY client: it knows the domain and nothing above it.')]),
  boundary(
    ['main/cache/**'],
    [ELECTRON, folders(except(['domain', 'ipc']), 'main/cache stores domain data: it never calls the API or the layers that use it.')],
  ),
  boundary(
    ['main/sync/**'],
    [
      ELECTRON,
      folders(except(['domain', 'api', 'cache', 'events', 'ipc']), 'main/sync reads HOSTKEY answers into the cache off the main thread; services call it.'),
    ],
  ),
  boundary(['main/events/**'], [ELECTRON, folders(except(['domain', 'ipc']), 'main/events is the typed event bus: it knows the contract and nothing else.')]),
  boundary(
    ['main/tasks/**'],
    [ELECTRON, folders(except(['domain', 'api', 'cache', 'events', 'ipc']), 'main/tasks follows the journal; services use it, never the other way round.')],
  ),
  boundary(
    ['main/session/**'],
    [ELECTRON, folders(except(['domain', 'api', 'cache', 'events', 'ipc']), 'main/session holds secrets for the services; it calls none of them.')],
  ),
  // What the file host says before an upload: reading it (remote), and what its bytes and checksum lists mean.
  boundary(['main/remote/**'], [ELECTRON, folders(except([]), 'main/remote reads file hosts over https; it knows nothing of the app.')]),
  boundary(['main/sniff/**'], [ELECTRON, folders(except(['ipc']), 'main/sniff parses image bytes from any source: it reads nothing itself.')]),
  boundary(
    ['main/checksums/**'],
    [ELECTRON, folders(except(['ipc', 'remote']), 'main/checksums finds and reads checksum lists; services decide what to keep.')],
  ),
  boundary(
    ['main/services/**'],
    [
      ELECTRON,
      folders(['cli', 'web', 'shell', 'local-api', 'build'], 'Services are the use cases: the front ends (CLI, harness, shell) call them, never the reverse.'),
    ],
  ),
  boundary(
    ['main/ipc/**'],
    [ELECTRON, folders(['cli', 'web', 'shell', 'local-api', 'build'], 'main/ipc is the contract and its dispatcher; the front ends use it.')],
  ),
  boundary(
    ['main/cli/**'],
    [ELECTRON, folders(['web', 'shell', 'local-api', 'build'], 'The CLI is one front end of the services; it shares nothing with the others.')],
  ),
  boundary(
    ['main/shell/**'],
    [folders(['cli', 'web', 'local-api', 'build'], 'The Electron shell is one front end of the services; it shares nothing with the others.')],
  ),
  boundary(['main/web/**'], [ELECTRON, folders(['cli', 'build'], 'The browser harness is a front end of the services.')]),
  boundary(
    ['main/local-api/**'],
    [
      ELECTRON,
      folders(
        except(['local-api']),
        'The local HOSTKEY API is a second, independent reading of the seed and the docs: it spells endpoints, actions, fields and answers itself (main/local-api/spec.ts) and imports nothing from the app, not even main/api or main/domain, or a wrong name in the client would be echoed back and could never fail a test.',
      ),
    ],
  ),
  boundary(['main/*.ts', 'main/build/**', 'test/**'], [ELECTRON]),
  boundary(
    ['test/api/**', 'test/local-api/**'],
    [
      ELECTRON,
      {
        group: ['**/main/api/fields.js', '**/main/local-api/spec.js'],
        message:
          'Tests of the wire spell the seed’s endpoints and field names themselves: taking them from the client (or the local API) would make the test agree with any mistake.',
      },
    ],
  ),
  boundary(
    ['preload/**'],
    [{ group: ['../main/*', '!../main/ipc', '../main/ipc/*', '!../main/ipc/contract.js'], message: 'The preload exposes the IPC contract and nothing else.' }],
  ),
  boundary(
    ['renderer/**'],
    [
      ELECTRON,
      {
        group: ['**/main/*', '!**/main/ipc', '!**/main/domain', '**/main/ipc/*', '!**/main/ipc/contract.js'],
        message: 'The renderer reaches main only through the IPC contract; it may share main/domain and the contract, nothing else.',
      },
    ],
  ),
);
