// Parses an AsyncAPI document with the official parser (npm @asyncapi/parser, installed by
// deploy/local/parts/k8s-tools.sh): resolves every $ref (the payload schemas) and runs its rules.
// Usage: node asyncapi-parse.mjs PARSER_PREFIX DOCUMENT  — prints the diagnostics as a JSON array.
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.argv[2], "package.json"));
const { Parser, fromFile } = require("@asyncapi/parser");
const { document, diagnostics } = await fromFile(new Parser(), process.argv[3]).parse();
process.stdout.write(JSON.stringify({
  parsed: document !== undefined,
  diagnostics: diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message, path: d.path })),
}));
