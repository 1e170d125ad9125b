// What a generated package exports at run time, next to what its declarations promise.
//
//   node surface.mjs DIR...    (each DIR holds a generated js/ package)
//
// Prints one JSON object: {DIR: {module: {js, dts}}} for index and _runtime, where `js` is
// what importing the module gives (exported names, and each exported class's prototype
// methods) and `dts` is the same read from the .d.ts with the TypeScript compiler's parser.
// Importing also proves that index.js links: every name it imports from _runtime.js exists.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";

// well-known symbols by the name a .d.ts gives them (Node 20 describes Symbol.asyncDispose
// as "nodejs.asyncDispose")
const WELL_KNOWN = new Map(
  Object.getOwnPropertyNames(Symbol)
    .filter((key) => typeof Symbol[key] === "symbol")
    .map((key) => [Symbol[key], `Symbol.${key}`]),
);

function methodsOf(cls) {
  const names = new Set();
  for (let proto = cls.prototype; proto && proto !== Object.prototype && proto !== Error.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== "constructor" && !name.startsWith("_")) names.add(name);
    }
    for (const sym of Object.getOwnPropertySymbols(proto)) names.add(WELL_KNOWN.get(sym) ?? sym.description ?? String(sym));
  }
  return [...names].sort();
}

async function fromJs(path) {
  const mod = await import(pathToFileURL(path).href);
  const classes = {};
  for (const [name, value] of Object.entries(mod)) {
    if (typeof value === "function" && /^class\b/.test(Function.prototype.toString.call(value))) {
      classes[name] = methodsOf(value);
    }
  }
  return { exports: Object.keys(mod).sort(), classes };
}

function memberName(member) {
  const name = member.name;
  if (!name) return null;
  if (ts.isComputedPropertyName(name)) return name.expression.getText().replace(/^Symbol\./, "Symbol.");
  return name.getText();
}

function fromDts(path) {
  const source = ts.createSourceFile(path, readFileSync(path, "utf-8"), ts.ScriptTarget.ES2022, true);
  const values = new Set();
  const classes = {};
  const exported = (node) => ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export;
  for (const node of source.statements) {
    if (ts.isClassDeclaration(node) && node.name && exported(node)) {
      values.add(node.name.text);
      const members = new Set();
      for (const m of node.members) {
        const hidden = ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected);
        if ((ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m)) && !hidden) {
          const name = memberName(m);
          if (name && !name.startsWith("_")) members.add(name);
        }
      }
      classes[node.name.text] = [...members].sort();
    } else if ((ts.isFunctionDeclaration(node) && node.name && exported(node))) {
      values.add(node.name.text);
    } else if (ts.isVariableStatement(node) && exported(node)) {
      for (const d of node.declarationList.declarations) values.add(d.name.getText());
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.exportClause && ts.isNamedExports(node.exportClause)) {
      for (const e of node.exportClause.elements) if (!e.isTypeOnly) values.add(e.name.text);
    }
  }
  return { exports: [...values].sort(), classes };
}

const out = {};
for (const dir of process.argv.slice(2)) {
  out[dir] = {};
  for (const module of ["index", "_runtime"]) {
    out[dir][module] = {
      js: await fromJs(join(dir, `${module}.js`)),
      dts: fromDts(join(dir, `${module}.d.ts`)),
    };
  }
}
process.stdout.write(JSON.stringify(out) + "\n");
