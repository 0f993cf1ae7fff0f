"""The house rules: layers point one way (import-linter contracts in pyproject.toml) and ruff is clean."""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent


def _namespace(tmp_path: Path) -> Path:
    """The installed namespace laid out as one tree: import-linter reads packages from the file system, and
    setuptools' ``package-dir`` puts flows/, spiders/ and models/ inside ``nianbao`` only at import time."""
    package_dir = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    top = tmp_path / "nianbao"
    top.mkdir()
    for entry in (ROOT / package_dir["nianbao"]).iterdir():
        (top / entry.name).symlink_to(entry)
    for name, folder in package_dir.items():
        if name != "nianbao":
            (top / name.split(".", 1)[1]).symlink_to(ROOT / folder)
    return tmp_path


def _lint_imports(path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(path)}
    return subprocess.run([BIN / "lint-imports", "--config", ROOT / "pyproject.toml", "--no-cache"],
                          capture_output=True, text=True, env=env, cwd=path, check=False)


def test_layers_point_one_way(tmp_path):
    done = _lint_imports(_namespace(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


def test_a_core_module_importing_a_framework_breaks_the_contract(tmp_path):
    tree = _namespace(tmp_path)
    core = tree / "nianbao" / "core"
    copy = tmp_path / "core"
    shutil.copytree(core.resolve(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    core.unlink()
    copy.rename(core)
    (core / "leak.py").write_text("import sqlmodel\nfrom nianbao.flows import pipeline\n")
    done = _lint_imports(tree)
    assert done.returncode != 0
    assert "0 kept, 2 broken" in done.stdout


def test_ruff_is_clean():
    done = subprocess.run([BIN / "ruff", "check", "--no-cache", "."], capture_output=True, text=True, cwd=ROOT,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
