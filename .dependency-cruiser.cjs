// dependency-cruiser: which file may import which. `npm run lint:deps` (part of `npm run lint`) runs
//   depcruise src scripts bench migrations web/src
// and fails on any finding (every rule here is an error). depcruise's exit code is its number of
// errors, which the shell takes modulo 256 (exactly 256 errors would pass), so the npm script reads
// its report instead: it passes only when depcruise prints "no dependency violations found".
//
// The layers, bottom to top. A layer may import itself and the layers below it, never above.
// They describe the layout src/ is being moved to (src/request/, src/api/, src/shareable/ are part
// of that move); a folder of src/ that belongs to no layer is itself reported (last rule).
//
//   L0  src/config.ts, src/common/          plain values and helpers
//   L1  src/policy/                          the policy engine, pure
//   L2  src/auth/, src/graphql/              tokens; the low-level GraphQL kit (scalars, connections,
//                                            ids, enums, limits, error formatting)
//   L3  src/request/                         request context, record access, authorize, policy store,
//                                            shield rule atoms, the module descriptor type
//   L4  src/{audit,agency,shareable,vessel,watchlist,alert,report,screening,import,webhook,revocation,ais}/
//                                            feature modules: may use each other, without folder cycles
//   L5  src/api/                             schema assembly, shield tree, node routing, module list
//   L6  src/db/, src/server/, src/demo/      database, HTTP/WebSocket server, demo data
//   L7  src/main.ts, scripts/, bench/        programs
//
//   migrations/ is imported by src/db/ only; test/ may import anything (and nothing imports test/).

const L0 = ['^src/config[.]ts$', '^src/common/'];
const L1 = ['^src/policy/'];
const L2 = ['^src/auth/', '^src/graphql/'];
const L3 = ['^src/request/'];
const L4 = ['^src/(audit|agency|shareable|vessel|watchlist|alert|report|screening|import|webhook|revocation|ais)/'];
const L5 = ['^src/api/'];
const L6 = ['^src/(db|server|demo)/'];
const L7 = ['^src/main[.]ts$', '^scripts/', '^bench/'];

// The console (web/src/), bottom to top: the same rule, a layer imports itself and those below.
//   W0  i18n/, api/, time/, gql/ (generated)   text, the hub's API, port times
//   W1  session/, access/, ui/                 the signed-in session; how access is shown; page states
//   W2  alerts/, screening/, entries/, reports/ the screens
//       agreements/, audit/, explorer/
//   W3  layout/, app.tsx, main.tsx             the frame and the routes
const W0 = ['^web/src/(i18n|api|time|gql)/'];
const W1 = ['^web/src/(session|access|ui)/'];
const W2 = ['^web/src/(alerts|screening|entries|reports|watchlists|triage|sightings|webhooks|agreements|audit|explorer)/'];

// Every file of the project (as opposed to node_modules and Node's own modules).
const PROJECT = '^(src|scripts|bench|migrations|test)/';

/** A layer rule: files matching `from` import nothing of the project that `allowed` does not match. */
function layer({ name, comment, from, allowed }) {
  return { name, comment, severity: 'error', from: { path: from }, to: { path: PROJECT, pathNot: allowed } };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'Why: files must not import each other in a cycle, type-only imports included: a cycle means neither file ' +
        'can be understood, tested or moved without the other, and a runtime cycle gives half-initialised modules.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment:
        'Why: folders must not depend on each other in a cycle (src/a uses src/b and src/b uses src/a, maybe through ' +
        'others): the modules of a cycle are really one module, and the layers below cannot hold.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },

    layer({
      name: 'L0-config-common',
      comment: 'Why: config and common are the ground everything stands on; they know no part of the hub above them.',
      from: L0,
      allowed: [...L0],
    }),
    layer({
      name: 'L1-policy',
      comment:
        'Why: the policy engine is pure (policy in, decision out) so it can be tested and reasoned about alone; ' +
        'it must not reach for GraphQL, requests, features or the database.',
      from: L1,
      allowed: [...L0, ...L1],
    }),
    layer({
      name: 'L2-auth-graphql',
      comment:
        'Why: tokens and the low-level GraphQL kit are building blocks for the request layer and the features; ' +
        'they must not know about requests, features, the schema assembly or the server.',
      from: L2,
      allowed: [...L0, ...L1, ...L2],
    }),
    layer({
      name: 'L3-request',
      comment:
        'Why: the request layer (context, record access, authorize, policy store, shield atoms) is what ' +
        'features are written against; it must not depend on any feature, the API assembly or the server.',
      from: L3,
      allowed: [...L0, ...L1, ...L2, ...L3],
    }),
    layer({
      name: 'L4-features',
      comment:
        'Why: a feature module is written against the request layer and the kit below it; it must not import ' +
        'the API assembly, the server (e.g. src/server/context.ts), the database bootstrap or the programs.',
      from: L4,
      allowed: [...L0, ...L1, ...L2, ...L3, ...L4],
    }),
    layer({
      name: 'L5-api',
      comment: 'Why: the API assembles the features into one schema; the server and the programs sit on top of it, not under it.',
      from: L5,
      allowed: [...L0, ...L1, ...L2, ...L3, ...L4, ...L5],
    }),
    layer({
      name: 'L6-db-server-demo',
      comment:
        'Why: database, server and demo data are wired together by the programs; they must not import ' +
        'src/main.ts, scripts/ or bench/. Only src/db/ may import migrations/ (next rule).',
      from: L6,
      allowed: [...L0, ...L1, ...L2, ...L3, ...L4, ...L5, ...L6, '^migrations/'],
    }),
    layer({
      name: 'L7-programs',
      comment:
        'Why: programs are the top; they may use every layer of src/, but not migrations/ directly (they go ' +
        'through src/db/) and not test/.',
      from: L7,
      allowed: [...L0, ...L1, ...L2, ...L3, ...L4, ...L5, ...L6, ...L7],
    }),
    {
      name: 'migrations-only-from-db',
      comment:
        'Why: migrations are run by src/db/ (data-source.ts) and nothing else, so there is one place that ' +
        'decides when the schema of the database changes.',
      severity: 'error',
      from: { path: '^(src|scripts|bench)/', pathNot: '^src/db/' },
      to: { path: '^migrations/' },
    },
    {
      name: 'migrations-stand-alone',
      comment:
        'Why: a migration must replay the same way forever, so it must not import code of src/ that changes ' +
        'with the hub (entities, enums, services): it imports only other migrations.',
      severity: 'error',
      from: { path: '^migrations/' },
      to: { path: PROJECT, pathNot: '^migrations/' },
    },
    {
      name: 'console-only-a-client',
      comment:
        'Why: the console is a client of the public GraphQL API and nothing else, so the access model applies ' +
        'to it unchanged; it never imports the hub, and the hub never imports it (it serves web/dist as files).',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: PROJECT },
    },
    {
      name: 'hub-never-imports-console',
      comment: 'Why: see console-only-a-client.',
      severity: 'error',
      from: { path: PROJECT },
      to: { path: '^web/' },
    },
    {
      name: 'W0-console-base',
      comment: 'Why: text, API access and time helpers serve every screen; they know nothing of sessions or screens.',
      severity: 'error',
      from: { path: W0 },
      to: { path: '^web/src/', pathNot: W0 },
    },
    {
      name: 'W1-console-session-access',
      comment: 'Why: the session and the access labels are used by every screen; they import no screen.',
      severity: 'error',
      from: { path: W1 },
      to: { path: '^web/src/', pathNot: [...W0, ...W1] },
    },
    {
      name: 'W2-console-screens',
      comment: 'Why: screens may link to each other, but never import the frame or the routes that hold them.',
      severity: 'error',
      from: { path: W2 },
      to: { path: '^web/src/', pathNot: [...W0, ...W1, ...W2] },
    },
    {
      name: 'src-folder-without-layer',
      comment:
        'Why: every file of src/ belongs to a layer; a new top-level folder must be added to a layer here ' +
        '(and its rule) before it is used.',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: [...L0, ...L1, ...L2, ...L3, ...L4, ...L5, ...L6, ...L7],
      },
      to: {},
    },
  ],

  options: {
    doNotFollow: { path: ['node_modules'] },
    exclude: { path: ['^dist/', '^coverage/', '^[.]data/', '^[.]keys/', '^web/dist/', '^bench/results/'] },

    // Count `import type` too: a type-only import is still a dependency between layers.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },

    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    skipAnalysisNotInRules: true,
    progress: { type: 'none' },
  },
};
