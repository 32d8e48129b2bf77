"""The module picture holds (``make lint``), and a forbidden import breaks it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PACKAGES = ("config", "cooperation", "partners", "programs")
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def copy_of_the_project(target: Path) -> Path:
    project = Path(settings.BASE_DIR)
    for package in PACKAGES:
        shutil.copytree(project / package, target / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(project / "pyproject.toml", target / "pyproject.toml")
    return target


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_project_keeps_its_import_contracts(tmp_path):
    result = lint_imports(copy_of_the_project(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("importer", "forbidden", "contract"),
    [
        ("programs/shipments/services/__init__.py", "programs.finance.models", "independent of each other"),
        ("programs/budgets/actuals.py", "programs.finance.models", "independent of each other"),
        ("programs/documents/selectors.py", "programs.budgets.models", "independent of each other"),
        ("cooperation/pages.py", "programs.models", "The kernel imports no module"),
        ("partners/selectors.py", "programs.models", "Partners know nothing of programmes"),
        ("programs/finance/views.py", "programs.reporting.selectors", "No module imports reporting"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(tmp_path, importer, forbidden, contract):
    project = copy_of_the_project(tmp_path)
    path = project / importer
    if not path.exists():  # the module is a package now, or a package became a module
        path = path.parent.with_suffix(".py") if path.name == "__init__.py" else path.with_suffix("") / "__init__.py"
    path.write_text(path.read_text() + f"\nimport {forbidden}  # noqa\n")

    result = lint_imports(project)

    assert result.returncode == 1
    broken = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert any(contract in line for line in broken), result.stdout
