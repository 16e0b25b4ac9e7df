"""Packaging guards: every subpackage is listed in pyproject.toml (setuptools is given an
explicit list, so a forgotten one would be missing from an installed wheel) and the resources
folder is reachable as the ``cld_editor.resources`` package."""

from __future__ import annotations

import importlib.resources
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_subpackage_is_listed_in_pyproject() -> None:
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "cld_editor").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    missing = sorted(found - listed)
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"


def test_every_folder_with_python_code_is_a_package() -> None:
    """A folder of modules without __init__.py is a namespace package, which an explicit
    packages list leaves out of the wheel without a word."""
    for folder in (ROOT / "cld_editor").rglob("*"):
        if folder.is_dir() and folder.name != "__pycache__" and any(folder.glob("*.py")):
            assert (folder / "__init__.py").is_file(), f"{folder.relative_to(ROOT)} lacks it"


def test_every_listed_package_exists() -> None:
    settings = _pyproject()["tool"]["setuptools"]
    package_dirs = settings.get("package-dir", {})
    for package in settings["packages"]:
        folder = ROOT / package_dirs.get(package, package.replace(".", "/"))
        assert (folder / "__init__.py").is_file(), f"{package} is listed but {folder} is no package"


def test_resources_are_reachable_as_a_package() -> None:
    resources = importlib.resources.files("cld_editor.resources")
    assert resources.joinpath("cld.schema.json").is_file()
    assert resources.joinpath("examples").is_dir()
    assert Path(str(resources)).resolve() == (ROOT / "resources").resolve()


def test_package_data_covers_the_resource_files() -> None:
    """Files in resources/ that an installed program needs match the package-data patterns."""
    patterns = _pyproject()["tool"]["setuptools"]["package-data"]["cld_editor.resources"]
    needed = [ROOT / "resources" / "cld.schema.json", *(ROOT / "resources" / "examples").glob("*")]
    for path in needed:
        relative = path.relative_to(ROOT / "resources")
        assert any(relative.match(pattern) for pattern in patterns), f"{relative} not packaged"
