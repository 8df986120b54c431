// Runs the compiled extension outside VS Code, against a stand-in for the `vscode`
// module, so that the real vscode-languageclient starts the configured server.
//
//   node test/run-client.js '{"extension": DIR, "settings": {"gxlint.path": ...},
//                            "open": [{"path": ..., "languageId": ...}], "docx": PATH}'
//
// DIR is the extension's folder (this one, or `extension/` of an unpacked .vsix).
// Activates the extension with the given settings and open documents (the first one is
// in the active editor), runs `gxlint.lintFile` as the command palette does (no
// argument) and as the explorer does on the docx, reports a change of the docx through
// the **/*.docx watcher, deactivates, and prints what the user would have seen as JSON.
"use strict";
const fs = require("fs");
const Module = require("module");
const path = require("path");

const { extension: extensionDir, settings, open, docx, settle = 500 } = JSON.parse(process.argv[2]);
const seen = { messages: [], commands: [], watchers: [], diagnostics: {} };

class Disposable {
  constructor(fn) { this.fn = fn; }
  static from(...items) { return new Disposable(() => items.forEach((d) => d.dispose())); }
  dispose() { this.fn?.(); this.fn = undefined; }
}

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (listener, thisArg, disposables) => {
      const entry = (e) => listener.call(thisArg, e);
      this.listeners.add(entry);
      const d = new Disposable(() => this.listeners.delete(entry));
      disposables?.push(d);
      return d;
    };
  }
  fire(e) { this.listeners.forEach((l) => l(e)); }
  dispose() { this.listeners.clear(); }
}

class Uri {
  constructor(scheme, fsPath) { this.scheme = scheme; this.fsPath = fsPath; this.path = fsPath; }
  static file(p) { return new Uri("file", path.resolve(p)); }
  static parse(s) { const u = new URL(s); return new Uri(u.protocol.slice(0, -1), decodeURIComponent(u.pathname)); }
  toString() { return "file://" + this.fsPath.split("/").map(encodeURIComponent).join("/"); }
  toJSON() { return this.toString(); }
}

class Position {
  constructor(line, character) { this.line = line; this.character = character; }
}

class Range {
  constructor(l1, c1, l2, c2) { this.start = new Position(l1, c1); this.end = new Position(l2, c2); }
}

class Diagnostic {
  constructor(range, message, severity) { this.range = range; this.message = message; this.severity = severity; }
}

class CancellationTokenSource {
  constructor() { this.token = { isCancellationRequested: false, onCancellationRequested: new EventEmitter().event }; }
  cancel() { this.token.isCancellationRequested = true; }
  dispose() {}
}

// Whatever the extension and the client touch beyond the above: an inert object whose
// every property is a function returning another such object (never a thenable).
function inert(name) {
  return new Proxy(function () {}, {
    get: (_, prop) => (prop === "then" ? undefined : prop === Symbol.iterator ? [][Symbol.iterator] : inert(`${name}.${String(prop)}`)),
    apply: () => inert(`${name}()`),
    construct: () => inert(`new ${name}`),
  });
}

function withFallback(name, obj) {
  return new Proxy(obj, { get: (t, prop) => (prop in t ? t[prop] : inert(`${name}.${String(prop)}`)) });
}

const documents = open.map((d) => ({
  uri: Uri.file(d.path),
  fileName: d.path,
  languageId: d.languageId,
  version: 1,
  isClosed: false,
  isUntitled: false,
  getText: () => fs.readFileSync(d.path, "utf8"),
}));

// Enough of vscode.languages.match for DocumentFilters of language and scheme.
function match(selector, document) {
  const filters = Array.isArray(selector) ? selector : [selector];
  const hit = (f) => typeof f === "string"
    ? f === document.languageId
    : (!f.language || f.language === document.languageId) && (!f.scheme || f.scheme === document.uri.scheme);
  return filters.some(hit) ? 10 : 0;
}

const commands = new Map();
const watchers = [];
const show = (level) => (message) => {
  seen.messages.push({ level, message });
  return Promise.resolve(undefined);
};

const vscode = withFallback("vscode", {
  version: "1.85.0",
  env: withFallback("env", { appName: "Visual Studio Code", language: "en" }),
  Disposable,
  EventEmitter,
  Uri,
  CancellationTokenSource,
  Position,
  Range,
  Diagnostic,
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  CancellationError: class extends Error {},
  commands: withFallback("commands", {
    registerCommand(id, fn) {
      if (commands.has(id)) throw new Error(`command '${id}' already exists`);  // as VS Code does
      commands.set(id, fn);
      return new Disposable(() => commands.delete(id));
    },
  }),
  languages: withFallback("languages", {
    match,
    createDiagnosticCollection: (name) => withFallback("diagnostics", {
      name,
      set: (uri, diagnostics) => {
        seen.diagnostics[uri.toString()] = diagnostics.map((d) => ({
          code: d.code?.value ?? d.code, severity: d.severity, line: d.range.start.line, message: d.message }));
      },
    }),
  }),
  window: withFallback("window", {
    activeTextEditor: documents.length ? { document: documents[0] } : undefined,
    showErrorMessage: show("error"),
    showWarningMessage: show("warning"),
    showInformationMessage: show("info"),
    createOutputChannel: (name) => withFallback("output", {
      name,
      append: (s) => process.stderr.write(s),
      appendLine: (s) => process.stderr.write(s + "\n"),
    }),
  }),
  workspace: withFallback("workspace", {
    workspaceFolders: undefined,
    textDocuments: documents,
    getConfiguration: (section) => ({
      get: (key, fallback) => settings[`${section}.${key}`] ?? fallback,
    }),
    createFileSystemWatcher(glob) {  // glob: a string or a RelativePattern
      const w = { glob, create: new EventEmitter(), change: new EventEmitter(), delete: new EventEmitter() };
      seen.watchers.push(glob.pattern ?? glob);
      watchers.push(w);
      return { onDidCreate: w.create.event, onDidChange: w.change.event, onDidDelete: w.delete.event, dispose() {} };
    },
  }),
});

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === "vscode" ? "vscode" : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: "vscode", filename: "vscode", loaded: true, exports: vscode };

// The extension host logs a rejection nobody handles and goes on; so does this.
process.on("unhandledRejection", (reason) => process.stderr.write(`unhandled rejection: ${reason}\n`));

(async () => {
  const extension = require(path.resolve(extensionDir, "out", "extension.js"));
  const context = { subscriptions: [] };
  await extension.activate(context);
  seen.commands = [...commands.keys()];
  const lintFile = commands.get("gxlint.lintFile");
  await lintFile();
  const report = Uri.file(docx);
  await lintFile(report, [report]);
  watchers.filter((w) => (w.glob.pattern ?? w.glob) === "**/*.docx").forEach((w) => w.change.fire(report));
  // the client batches file events (250 ms); a server that crashed is restarted meanwhile
  await new Promise((r) => setTimeout(r, settle));
  await extension.deactivate();
  context.subscriptions.forEach((d) => d.dispose());
  process.stdout.write(JSON.stringify(seen) + "\n");
  process.exit(0);
})().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
