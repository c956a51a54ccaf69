// Built by bench/lib/nextjs-build.mjs. The repository's node_modules may be a symlink to a directory
// outside it (a git worktree's), and Turbopack compiles nothing outside its root: hence the root '/',
// as the test fixture (test/fixtures/nextjs) has it.
module.exports = {
  turbopack: { root: '/' },
};
