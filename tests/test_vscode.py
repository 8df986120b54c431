"""The VS Code extension (editors/vscode): built and packaged with the real npm, tsc and vsce,
then the packaged client run by node against a stand-in server that records what it gets.

VS Code itself is not run: editors/vscode/test/run-client.js loads the unpacked extension
with a stand-in `vscode` module, so the real vscode-languageclient spawns the configured
command and speaks LSP to it."""
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "editors" / "vscode"
NODE, NPM = shutil.which("node"), shutil.which("npm")

pytestmark = [pytest.mark.slow,  # node and npm build the VS Code extension
              pytest.mark.skipif(not (NODE and NPM), reason="needs node and npm on PATH to build the VS Code extension")]

NETWORK_ERRORS = ("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENETUNREACH")

# A language server that records each start (its arguments) and every message it gets, one JSON
# a line, and answers initialize (advertising gxlint.lintFile unless told not to) and requests.
# --exit-at-once: exits before initialize; --exit-after-init: exits on the initialized notification;
# --hang-up-after-init: on it, closes its input at once but exits only a second later, so that the
# client's next message fails to be written (EPIPE) before the client sees the server go.
FAKE_SERVER = r'''
import json, os, sys, time
log = open(sys.argv[1], "a", encoding="utf-8")
commands = [] if "--no-command" in sys.argv else ["gxlint.lintFile"]
log.write(json.dumps({"argv": sys.argv[2:]}) + "\n")
log.flush()
if "--exit-at-once" in sys.argv:
    sys.exit(2)
inp, out = sys.stdin.buffer, sys.stdout.buffer
while True:
    headers = {}
    while (line := inp.readline().strip()):
        name, _, value = line.partition(b":")
        headers[name.lower()] = value.strip()
    if not headers:
        break
    msg = json.loads(inp.read(int(headers[b"content-length"])))
    log.write(json.dumps(msg) + "\n")
    log.flush()
    if "id" in msg and "method" in msg:
        result = {"capabilities": {"textDocumentSync": 1, "executeCommandProvider": {"commands": commands}}} if msg["method"] == "initialize" else None
        body = json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": result}).encode()
        out.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        out.flush()
    if msg.get("method") == "initialized" and "--hang-up-after-init" in sys.argv:
        os.close(0)
        time.sleep(1)
        break
    if msg.get("method") == "exit" or (msg.get("method") == "initialized" and "--exit-after-init" in sys.argv):
        break
'''


def _run(cmd, cwd):
    env = dict(os.environ, npm_config_audit="false", npm_config_fund="false", npm_config_update_notifier="false")
    return subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def vsix(tmp_path_factory):
    """npm ci, then vsce package (which compiles with tsc) in a copy; returns the .vsix."""
    build = tmp_path_factory.mktemp("vscode") / "vscode"
    shutil.copytree(EXTENSION, build, ignore=shutil.ignore_patterns("node_modules", "out", "*.vsix"))
    p = _run([NPM, "ci", "--prefer-offline"], build)  # packages already in npm's cache are not fetched again
    if p.returncode and any(code in p.stderr for code in NETWORK_ERRORS):
        pytest.skip("the npm registry is unreachable: " + p.stderr.strip().splitlines()[-1])
    assert p.returncode == 0, p.stdout + p.stderr
    out = build.parent / "gxlint.vsix"
    p = _run([str(build / "node_modules" / ".bin" / "vsce"), "package", "--out", str(out)], build)
    assert p.returncode == 0, p.stdout + p.stderr
    return out


@pytest.fixture(scope="module")
def unpacked(vsix):
    target = vsix.parent / "unpacked"
    with zipfile.ZipFile(vsix) as z:
        z.extractall(target)
    return target / "extension"


def test_vsix_holds_the_compiled_client_and_its_runtime_dependencies(vsix):
    with zipfile.ZipFile(vsix) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("extension/package.json"))
    for name in ("extension/package.json", "extension/out/extension.js", "extension/LICENSE.txt",
                 "extension/node_modules/vscode-languageclient/node.js",
                 "extension/node_modules/vscode-languageclient/lib/node/main.js",
                 "extension/node_modules/vscode-languageserver-protocol/package.json",
                 "extension/node_modules/vscode-jsonrpc/package.json"):
        assert name in names, name
    # Sources, the test harness and build tools stay out.
    assert not [n for n in names if n.startswith(("extension/src/", "extension/test/"))
                or "/node_modules/typescript/" in n or "/node_modules/@vscode/vsce/" in n]
    assert manifest["main"] == "./out/extension.js"
    assert set(manifest["activationEvents"]) == {
        "onLanguage:markdown", "onLanguage:plaintext", "workspaceContains:**/*.docx", "onCommand:gxlint.lintFile"}
    assert [c["command"] for c in manifest["contributes"]["commands"]] == ["gxlint.lintFile"]
    props = manifest["contributes"]["configuration"]["properties"]
    assert props["gxlint.path"]["default"] == "gxlint" and props["gxlint.args"]["default"] == ["lsp"]


def _client(unpacked, tmp_path, command, open_files=(), docx=b"PK", settle=500):
    """Runs the packaged extension with gxlint.path and gxlint.args set to `command`, the files
    `open_files` open in editors, waiting `settle` ms before it stops; returns (what the user saw,
    the .docx linted from the explorer)."""
    report = tmp_path / "年报 2024.docx"
    report.write_bytes(docx)
    args = {"extension": str(unpacked), "open": list(open_files), "docx": str(report), "settle": settle,
            "settings": {"gxlint.path": command[0], "gxlint.args": command[1:]}}
    env = dict(os.environ, GXLINT_CACHE_DIR=str(tmp_path / "cache"))
    p = subprocess.run([NODE, str(EXTENSION / "test" / "run-client.js"), json.dumps(args)],
                       capture_output=True, text=True, timeout=60, env=env)
    assert p.returncode == 0, p.stdout + p.stderr
    return json.loads(p.stdout), report


def _fake_server(tmp_path, *args):
    """The command line of FAKE_SERVER, and a function returning (the argv of each start, the messages it got)."""
    server, log = tmp_path / "server.py", tmp_path / "server.log"
    server.write_text(FAKE_SERVER, encoding="utf-8")

    def received():
        lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        return [m["argv"] for m in lines if "argv" in m], [m for m in lines if "argv" not in m]
    return [sys.executable, str(server), str(log), *args], received


def test_client_spawns_the_configured_command_and_forwards_lint_requests(unpacked, tmp_path):
    md, txt, py = (dict(path=str(tmp_path / n), languageId=lang)
                   for n, lang in (("a.md", "markdown"), ("b.txt", "plaintext"), ("c.py", "python")))
    for f in (md, txt, py):
        Path(f["path"]).write_text("一、总体情况\n", encoding="utf-8")
    command, received = _fake_server(tmp_path, "lsp")
    seen, docx = _client(unpacked, tmp_path, command, [md, txt, py])
    starts, messages = received()
    assert seen["messages"] == [] and seen["commands"] == ["gxlint.lintFile"] and seen["watchers"] == ["**/*.docx"]
    assert starts == [["lsp"]]  # exactly the configured arguments (no --stdio appended)
    methods = [m.get("method") for m in messages]
    assert methods[:2] == ["initialize", "initialized"] and methods[-2:] == ["shutdown", "exit"]
    opened = [m["params"]["textDocument"]["uri"] for m in messages if m.get("method") == "textDocument/didOpen"]
    assert opened == [Path(md["path"]).as_uri(), Path(txt["path"]).as_uri()]  # markdown and plain text, not python
    commands = [m["params"] for m in messages if m.get("method") == "workspace/executeCommand"]
    assert commands == [{"command": "gxlint.lintFile", "arguments": [Path(md["path"]).as_uri()]},  # palette: active editor
                        {"command": "gxlint.lintFile", "arguments": [docx.as_uri()]}]  # explorer: the selected .docx
    watched = [m["params"]["changes"] for m in messages if m.get("method") == "workspace/didChangeWatchedFiles"]
    assert watched == [[{"uri": docx.as_uri(), "type": 2}]]


def test_server_without_the_command_gets_no_request_and_the_user_is_told(unpacked, tmp_path):
    command, received = _fake_server(tmp_path, "lsp", "--no-command")
    seen, _ = _client(unpacked, tmp_path, command)
    starts, messages = received()
    assert starts == [["lsp", "--no-command"]]
    assert not [m for m in messages if m.get("method") == "workspace/executeCommand"]
    assert [m["level"] for m in seen["messages"]] == ["error", "error"]  # palette and explorer
    assert "gxlint.path" in seen["messages"][0]["message"]


def test_missing_executable_is_reported_in_chinese_with_the_setting_to_fix(unpacked, tmp_path):
    seen, _ = _client(unpacked, tmp_path, [str(tmp_path / "no-such-gxlint"), "lsp"])
    ours = [m["message"] for m in seen["messages"] if m["message"].startswith("gxlint：")]
    assert "无法启动语言服务器" in ours[0] and "no-such-gxlint lsp" in ours[0] and "gxlint.path" in ours[0]


def test_server_that_exits_at_once_is_started_once_and_reported_once(unpacked, tmp_path):
    command, received = _fake_server(tmp_path, "--exit-at-once")
    seen, _ = _client(unpacked, tmp_path, command)
    assert received()[0] == [["--exit-at-once"]]
    assert len([m for m in seen["messages"] if "无法启动语言服务器" in m["message"]]) == 1


@pytest.mark.parametrize("how", ["--exit-after-init", "--hang-up-after-init"])
def test_server_that_crashes_after_starting_is_restarted(unpacked, tmp_path, how):
    # --hang-up-after-init: the client's writes fail before it learns the server exited (the order
    # a busy machine gave in CI); a failed write must not stop the client from restarting it.
    command, received = _fake_server(tmp_path, how)
    seen, _ = _client(unpacked, tmp_path, command, settle=3000)  # time to restart, on a busy machine too
    assert len(received()[0]) >= 2
    assert not [m for m in seen["messages"] if "无法启动语言服务器" in m["message"]]


def _cli_findings(path):
    p = subprocess.run([sys.executable, "-m", "gxlint", "--format", "json", str(path)], capture_output=True, text=True)
    return [(f["rule"], f["line"] - 1) for f in json.loads(p.stdout)["files"][0]["findings"]]


def test_real_server_shows_the_same_findings_as_the_command_line(unpacked, tmp_path):
    md = tmp_path / "faulty.md"
    shutil.copy(ROOT / "examples" / "faulty.md", md)
    seen, docx = _client(unpacked, tmp_path, [sys.executable, "-m", "gxlint", "lsp"],
                         [dict(path=str(md), languageId="markdown")], (ROOT / "examples" / "faulty.docx").read_bytes())
    assert seen["messages"] == []
    shown = {uri: sorted((d["code"], d["line"]) for d in diags) for uri, diags in seen["diagnostics"].items()}
    assert shown == {md.as_uri(): sorted(_cli_findings(md)), docx.as_uri(): sorted(_cli_findings(docx))}
    assert len(shown[docx.as_uri()]) == 7
