// A thin client for the gxlint language server (`gxlint lsp`, over stdio).
// The server lints Markdown and plain-text reports as they are edited, and .docx
// reports when they change on disk (workspace/didChangeWatchedFiles) or on the
// `gxlint.lintFile` command.
import * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  ErrorHandler,
  Executable,
  LanguageClient,
  LanguageClientOptions,
} from "vscode-languageclient/node";

const LINT_FILE = "gxlint.lintFile";

let client: LanguageClient | undefined;
// Kept across restarts (a settings change starts a new client).
let watcher: vscode.FileSystemWatcher;
let output: vscode.OutputChannel;
// Registered only while no running server provides LINT_FILE: the language client
// registers the command itself for every command the server advertises.
let fallback: vscode.Disposable | undefined;
let restarting: Promise<void> = Promise.resolve();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  watcher = vscode.workspace.createFileSystemWatcher("**/*.docx");
  output = vscode.window.createOutputChannel("gxlint");
  context.subscriptions.push(
    watcher,
    output,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("gxlint.path") || e.affectsConfiguration("gxlint.args")) {
        // One restart at a time; a failed stop is in the output channel already.
        restarting = restarting.then(stop).catch(() => undefined).then(start);
      }
    }),
  );
  await start();
}

export function deactivate(): Promise<void> {
  return stop();
}

// Spawned as configured, talking over stdin/stdout. No `transport` on purpose: with
// TransportKind.stdio the client appends `--stdio` to the arguments.
function serverOptions(): Executable {
  const config = vscode.workspace.getConfiguration("gxlint");
  return {
    command: config.get<string>("path", "gxlint"),
    args: config.get<string[]>("args", ["lsp"]),
  };
}

async function start(): Promise<void> {
  const server = serverOptions();
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "file", language: "plaintext" },
    ],
    synchronize: { fileEvents: watcher },
    outputChannel: output,
    errorHandler: restartOnlyAfterStart(() => started),
    initializationFailedHandler: () => false,  // reported once, below
    middleware: {
      executeCommand: (command, args, next) =>
        command === LINT_FILE ? lintFile(args, (uri) => next(command, [uri])) : next(command, args),
    },
  };
  const started = new LanguageClient("gxlint", "gxlint", server, clientOptions);
  client = started;
  try {
    await started.start();
  } catch {
    // Reported below. start() does not always reject when the server exits at once.
  }
  if (!started.isRunning()) {
    vscode.window.showErrorMessage(
      `gxlint：无法启动语言服务器「${[server.command, ...(server.args ?? [])].join(" ")}」，详见「输出」面板中的 gxlint。请安装 gxlint，或在设置 gxlint.path 中填写它的完整路径。`,
    );
  }
  const provided = started.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  if (!provided.includes(LINT_FILE)) {
    fallback = vscode.commands.registerCommand(LINT_FILE, () =>
      vscode.window.showErrorMessage("gxlint：语言服务器未运行或不支持「检查此报告」，请检查设置 gxlint.path。"),
    );
  }
}

// Node's codes for a write to a server that has gone (or is going) away.
const HUNG_UP = new Set(["EPIPE", "ECONNRESET", "ERR_STREAM_DESTROYED", "ERR_STREAM_WRITE_AFTER_END"]);

// A server that exits before it has answered `initialize` (an old gxlint without
// `lsp`, a wrong gxlint.path) is not restarted: start() reports it once. One that
// crashes later is restarted as the client does by default. A write that fails because
// the server went away is left to closed(): by default the client would shut down on
// it and, when the failed write came before the close, never restart the server.
function restartOnlyAfterStart(lc: () => LanguageClient): ErrorHandler {
  let defaults: ErrorHandler | undefined;
  const byDefault = () => (defaults ??= lc().createDefaultErrorHandler());
  return {
    error: (error, message, count) =>
      HUNG_UP.has((error as NodeJS.ErrnoException).code ?? "")
        ? { action: ErrorAction.Continue, handled: true }
        : byDefault().error(error, message, count),
    closed: () => (lc().initializeResult ? byDefault().closed() : { action: CloseAction.DoNotRestart, handled: true }),
  };
}

async function stop(): Promise<void> {
  fallback?.dispose();
  fallback = undefined;
  const running = client;
  client = undefined;
  if (running?.isRunning()) {
    // A server that has just gone cannot be asked to shut down: the client has
    // logged that in the output channel, and there is nothing left to stop.
    await running.stop().catch(() => undefined);
  }
}

// The command's target: the files selected in the explorer (VS Code passes the
// clicked URI and the whole selection), else the active editor's file.
async function lintFile(args: unknown[], send: (uri: string) => Promise<unknown>): Promise<void> {
  const [clicked, selection] = args;
  let uris: vscode.Uri[] = [];
  if (Array.isArray(selection) && selection.every((u) => u instanceof vscode.Uri)) {
    uris = selection;
  } else if (clicked instanceof vscode.Uri) {
    uris = [clicked];
  } else if (vscode.window.activeTextEditor) {
    uris = [vscode.window.activeTextEditor.document.uri];
  }
  if (uris.length === 0) {
    vscode.window.showWarningMessage("gxlint：请先打开一份报告，或在资源管理器中选中 .docx 文件。");
    return;
  }
  for (const uri of uris) {
    try {
      await send(uri.toString());
    } catch (err) {
      // The server went away mid-request (it is being restarted): say so, not "command failed".
      vscode.window.showErrorMessage(
        `gxlint：检查「${uri.fsPath}」未完成（与语言服务器的连接中断：${err instanceof Error ? err.message : err}），请稍后重试。`,
      );
      return;
    }
  }
}
