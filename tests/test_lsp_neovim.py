"""The README's Neovim snippet, as written, in a real Neovim: the one Debian and Ubuntu ship (0.7 to
0.9) or a newer one.  Opening a Markdown report starts `gxlint lsp` and shows its findings as
diagnostics; a second report is served by the same server."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

PROBE = """
local function wait_for_diagnostics()
  return vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 50)
end
local out = {}
local function record(name)
  wait_for_diagnostics()
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(out, name .. ' ' .. tostring(d.code) .. ' ' .. (d.lnum + 1))
  end
end
record('a.md')
vim.cmd('edit b.md')
record('b.md')
table.insert(out, 'clients ' .. #vim.lsp.get_active_clients())
table.insert(out, 'version ' .. vim.version().major .. '.' .. vim.version().minor)
vim.fn.writefile(out, 'seen.txt')
vim.cmd('qa!')
"""


def _snippet() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"(?ms)^```lua\n(.*?)^```", text)
    assert len(found) == 1
    return found[0]


def test_readme_neovim_snippet(tmp_path):
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip("no Neovim here: apt-get install neovim")
    (tmp_path / "init.lua").write_text(_snippet(), encoding="utf-8")
    (tmp_path / "probe.lua").write_text(PROBE, encoding="utf-8")
    shutil.copy(SEEDS / "004_aa4e2e269a40bca7.txt", tmp_path / "a.md")
    shutil.copy(SEEDS / "000_6c964df6ff835ea4.txt", tmp_path / "b.md")
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", GXLINT_CACHE_DIR=str(tmp_path / "cache"),
               **{k: str(tmp_path / k.lower()) for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")})
    p = subprocess.run([nvim, "--headless", "-u", "init.lua", "a.md", "-c", "luafile probe.lua"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    seen = (tmp_path / "seen.txt").read_text(encoding="utf-8").split("\n")
    assert "clients 1" in seen, (seen, p.stderr)
    for name in ("a.md", "b.md"):
        cli = subprocess.run([str(BIN / "gxlint"), "--format", "json", name], cwd=tmp_path, env=env,
                             capture_output=True, text=True)
        want = sorted(f"{name} {f['rule']} {f['line']}" for f in json.loads(cli.stdout)["files"][0]["findings"])
        assert want and sorted(s for s in seen if s.startswith(name + " ")) == want, (name, seen, p.stderr)
