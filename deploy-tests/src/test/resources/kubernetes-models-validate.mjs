// Validates Kubernetes objects against the JSON Schemas of the Kubernetes OpenAPI specification, as compiled
// by the npm package kubernetes-models (installed by deploy/local/parts/k8s-tools.sh).
// Usage: node kubernetes-models-validate.mjs MODELS_DIR < objects.json   (a JSON array of objects)
// Prints a JSON array of problems; objects of an API group the package does not have are reported as
// "no-schema" for the caller to handle (custom resources).
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const modelsDir = process.argv[2];
const objects = JSON.parse(readFileSync(0, "utf8"));
const problems = [];
for (const o of objects) {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
  const file = join(modelsDir, group === "" ? version : `${group}/${version}`, `${o.kind}.js`);
  const name = `${o.kind} ${o.metadata?.name}`;
  if (!existsSync(file)) {
    problems.push({ object: name, apiVersion: o.apiVersion, kind: o.kind, problem: "no-schema" });
    continue;
  }
  const Model = (await import(pathToFileURL(file).href))[o.kind];
  try {
    new Model(o).validate();
  } catch (e) {
    problems.push({ object: name, apiVersion: o.apiVersion, kind: o.kind, problem: e.message });
  }
}
process.stdout.write(JSON.stringify(problems));
