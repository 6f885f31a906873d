// The import rules of DESIGN.md ("Layout"), enforced on every `npm run lint`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    { name: 'lib-imports-nothing-of-ours', severity: 'error',
      from: { path: '^src/lib/' }, to: { path: '^src/(?!lib/)' } },
    { name: 'api-imports-only-lib', severity: 'error',
      from: { path: '^src/api/' }, to: { path: '^src/(?!api/|lib/)' } },
    { name: 'only-apiserver-and-cmd-import-storage', severity: 'error',
      from: { path: '^src/(?!apiserver/|cmd/|storage/)' }, to: { path: '^src/storage/' } },
    { name: 'storage-backends-only-from-cmd', severity: 'error',
      from: { path: '^src/(?!cmd/|storage/)', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/storage/(memory|sqlite|etcd)/' } },
    { name: 'runtime-backends-only-from-cmd', severity: 'error',
      from: { path: '^src/(?!cmd/)', pathNot: ['^src/agent/runtime/(cri|process|fake)/', '\\.(test|fixture)\\.ts$'] },
      to: { path: '^src/agent/runtime/(cri|process|fake)/' } },
    { name: 'clients-never-import-apiserver', severity: 'error',
      from: { path: '^src/(client|controllers|scheduler|agent|proxy|dns|cli)/' }, to: { path: '^src/apiserver/' } },
    { name: 'nothing-imports-cmd', severity: 'error',
      from: { path: '^src/(?!cmd/)' }, to: { path: '^src/cmd/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
