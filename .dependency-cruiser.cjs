/**
 * Charla's dependency rules (docs/ARCHITECTURE.md, "Dependency rules"), checked by `npm run lint`.
 * Layers, from the outside in:
 *
 *   cli → runtime → http → routes → services → repositories → db
 *   runtime → worker → bot → graph (the sender's client)
 *
 * and everyone may use the foundation: errors, validation, logging, config.
 */

/** A path pattern for these folders of src/. */
const under = (...folders) => `^src/(${folders.join('|')})/`;

/** Routes are the web layer wherever they live (api/, auth/, webhook/, http/). */
const ROUTES = '\\.routes\\.ts$';
const SERVICES = '\\.service\\.ts$';
const REPOSITORIES = '\\.repository\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means two modules are one; split the shared part out.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'cli-is-the-entry',
      severity: 'error',
      comment: 'Nothing imports the command line; commands are thin and call the runtime or a service.',
      from: { path: '^src/', pathNot: under('cli') },
      to: { path: under('cli') },
    },
    {
      name: 'runtime-only-from-cli',
      severity: 'error',
      comment: 'The runtime (start-up, at-head check, signals, workers, sandbox) is started by the CLI only.',
      from: { path: '^src/', pathNot: under('cli', 'runtime') },
      to: { path: under('runtime') },
    },
    {
      name: 'routes-only-from-the-app',
      severity: 'error',
      comment: 'Routes are registered by http/app.ts; nothing else calls a route module.',
      from: { path: '^src/', pathNot: ['^src/http/app\\.ts$', ROUTES] },
      to: { path: ROUTES },
    },
    {
      name: 'routes-do-no-sql',
      severity: 'error',
      comment: 'Routes validate, call a service or a repository, and shape the answer: no query builder, no table types.',
      from: { path: ROUTES },
      to: {
        path: [
          '^node_modules/kysely/',
          '^src/db/tables\\.ts$',
          '^src/db/dialects/',
          '^src/db/per-row\\.ts$',
          '^src/db/insert-returning-id\\.ts$',
        ],
      },
    },
    {
      name: 'services-below-the-web',
      severity: 'error',
      comment: 'A service knows nothing of HTTP, the runtime or the CLI: the same rule serves the API and the CLI.',
      from: { path: SERVICES },
      to: { path: [ROUTES, under('http', 'runtime', 'cli'), '^node_modules/fastify/'] },
    },
    {
      name: 'repositories-at-the-bottom',
      severity: 'error',
      comment: 'Repositories read and write tables; they call no service, route, worker, webhook parser or sender.',
      from: { path: REPOSITORIES },
      to: { path: [ROUTES, SERVICES, under('http', 'runtime', 'cli', 'webhook', 'worker', 'graph', 'sandbox', 'bot')] },
    },
    {
      name: 'domain-below-the-adapters',
      severity: 'error',
      comment:
        'The domain folders (conversations, customers, crm, auth, bot, demo) do not depend on how messages arrive (webhook), leave (worker) or are served (http, api).',
      from: { path: under('conversations', 'customers', 'crm', 'auth', 'bot', 'demo'), pathNot: ROUTES },
      to: { path: under('http', 'api', 'webhook', 'worker', 'runtime', 'cli', 'sandbox') },
    },
    {
      name: 'understanding-is-pure',
      severity: 'error',
      comment:
        "The bot's understanding (intents, entities) is text in, text out: no database, no HTTP, no other layer; the bot uses it, never the reverse.",
      from: { path: under('understanding') },
      to: {
        path: ['^src/', '^node_modules/(kysely|pg|mysql2|@electric-sql/pglite|fastify|undici)/'],
        pathNot: under('understanding', 'errors', 'validation', 'logging', 'config'),
      },
    },
    {
      name: 'api-is-not-the-worker',
      severity: 'error',
      comment: 'The CRM API writes to the outbox; the worker delivers. Neither imports the other, nor the webhook.',
      from: { path: under('api') },
      to: { path: under('worker', 'webhook', 'bot', 'runtime') },
    },
    {
      name: 'webhook-is-an-inbound-adapter',
      severity: 'error',
      comment: 'The webhook reads and stores what Meta sends; it does not answer (worker, bot) or serve the API.',
      from: { path: under('webhook') },
      to: { path: under('worker', 'bot', 'api', 'runtime') },
    },
    {
      name: 'worker-bot-sender',
      severity: 'error',
      comment: 'worker → bot → graph: the bot decides without knowing who runs it; the Graph client knows neither.',
      from: { path: under('bot', 'graph') },
      to: { path: under('worker', 'runtime') },
    },
    {
      name: 'graph-does-not-decide',
      severity: 'error',
      from: { path: under('graph', 'sandbox') },
      to: { path: under('bot', 'worker', 'api', 'conversations', 'crm', 'customers') },
    },
    {
      name: 'foundation-depends-on-nothing',
      severity: 'error',
      comment: 'errors, validation, logging and config are used by everyone and use no layer above them.',
      from: { path: under('errors', 'validation', 'logging', 'config') },
      to: { path: '^src/', pathNot: under('errors', 'validation', 'logging', 'config') },
    },
    {
      name: 'db-depends-on-the-foundation-only',
      severity: 'error',
      from: { path: under('db') },
      to: { path: '^src/', pathNot: under('db', 'errors', 'config') },
    },
    {
      name: 'dialects-behind-the-database',
      severity: 'error',
      comment: 'Only src/db/ opens a dialect; the rest of the code uses the DialectSupport capabilities, never a database by name.',
      from: { path: '^src/', pathNot: under('db') },
      to: {
        path: [
          '^src/db/dialects/(postgres|mysql|pglite)/',
          '^src/db/dialects/open-dialect\\.ts$',
          '^node_modules/(pg|mysql2|@electric-sql/pglite|kysely-pglite-dialect)/',
        ],
      },
    },
    {
      name: 'migrations-depend-on-db-only',
      severity: 'error',
      from: { path: under('migrations') },
      to: { path: '^src/', pathNot: under('migrations', 'db', 'errors', 'config') },
    },
    {
      name: 'no-revision-in-runtime-code',
      severity: 'error',
      comment:
        "A revision is history: runtime code names tables, it never imports a revision. Only the revision list (index.ts) is read, by the migrator's callers.",
      from: { path: '^src/', pathNot: '^src/migrations/revisions/' },
      to: { path: '^src/migrations/revisions/', pathNot: '^src/migrations/revisions/index\\.ts$' },
    },
    {
      name: 'revision-list-for-the-migrator-callers',
      severity: 'error',
      from: { path: '^src/', pathNot: [under('cli', 'runtime'), '^src/migrations/revisions/'] },
      to: { path: '^src/migrations/revisions/index\\.ts$' },
    },
    {
      name: 'no-dev-dependencies-in-src',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
