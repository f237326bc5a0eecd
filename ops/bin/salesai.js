#!/usr/bin/env node
// The project pins Node 24 (the `node` devDependency puts it first on the PATH of npm scripts
// and npx). Node 24 runs the TypeScript sources directly.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `ai-sales-agent needs Node 24 or newer (this is ${process.version}). Run it through npm: \`npm start\` or \`npx salesai …\`, which use the project's pinned Node.\n`,
  );
  process.exit(1);
}
await import('../cli/main.ts');
