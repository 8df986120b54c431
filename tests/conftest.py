import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))  # docxbuild, seeddocx

SEEDS = TESTS / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def expected():
    from ruamel.yaml import YAML

    return YAML(typ="safe").load((SEEDS / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def linter():
    from gxlint.engine import Linter

    return Linter()
