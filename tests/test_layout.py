"""The layout's dependency rules and the CLI's documentation promises."""

import ast
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from crawler.cli import cli

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "dedupe": {"crawler", "graph", "scrapy", "sqlite_utils", "trafilatura", "twisted"},
    "graph": {"crawler", "dedupe", "scrapy", "sqlite_utils", "trafilatura", "twisted"},
    "crawler/spiders": {"sqlite_utils", "crawler.store"},
    # The library never imports the CLI (sqlite-utils' rule): only the command layer does.
    "crawler/store": {"crawler.cli", "crawler.commands", "click"},
    "crawler/extract": {"crawler.cli", "crawler.commands", "crawler.store", "sqlite_utils"},
    "crawler/ingest": {"crawler.cli", "crawler.commands"},
    "crawler/crawl": {"crawler.cli", "crawler.commands"},
    "crawler/web": {"crawler.cli", "crawler.commands"},
}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_packages_respect_the_import_rules(package):
    offenders = []
    for path in (ROOT / package).rglob("*.py"):
        for name in _imports(path):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[package]):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offenders, offenders


PACKAGES = ("crawler", "dedupe", "graph")
# Modules whose length is text data, not code.
DATA_MODULES = {"crawler/sampleweb/articles.py", "crawler/sampleweb/texts_analysis.py"}
# Being split by the credit and family rework; remove each entry when its split lands.
PENDING_SPLIT: set[str] = set()
MAX_LINES = 400
MAX_TOP_LEVEL = 15


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _resolved_imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every module of ours that ``name`` imports, at module level or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # Imports under ``if TYPE_CHECKING:`` never run: they are annotations, not dependencies.
    skipped = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    targets = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for candidate in candidates:
            # "from pkg import module" names the module; "from module import thing" the module.
            while candidate and candidate not in modules:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


def test_no_import_circles():
    modules = _modules()
    edges = nx.DiGraph()
    for name, path in modules.items():
        for target in _resolved_imports(name, path, modules):
            # A package's __init__ re-exporting its own submodules is not a circle.
            if not target.startswith(name + "."):
                edges.add_edge(name, target)
    circles = [sorted(c) for c in nx.strongly_connected_components(edges) if len(c) > 1]
    assert not circles, f"import circles: {circles}"


def test_modules_stay_small():
    long = []
    for path in _modules().values():
        relative = path.relative_to(ROOT).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if relative not in DATA_MODULES | PENDING_SPLIT and lines > MAX_LINES:
            long.append(f"{relative}: {lines} lines")
    assert not long, f"split these by concept: {long}"


def test_crawler_top_level_holds_few_modules():
    top = sorted(p.name for p in (ROOT / "crawler").glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL, f"{len(top)} modules directly in crawler/: {top}"


def test_every_package_says_what_it_holds():
    missing = []
    for package in PACKAGES:
        for init in (ROOT / package).rglob("__init__.py"):
            doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
            if not doc or len(doc.split()) < 8:
                missing.append(init.relative_to(ROOT).as_posix())
    assert not missing, f"packages without a docstring saying what they hold: {missing}"


def test_concepts_are_found_by_folder_name():
    # Where a newcomer looks first (the layout table in docs/layout.md).
    for folder in ("store", "distributed", "web", "ingest", "extract", "extract/credits", "crawl",
                   "commands", "spiders", "sampleweb"):
        assert (ROOT / "crawler" / folder / "__init__.py").is_file(), folder


def _commands():
    return sorted(cli.commands)


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_and_is_in_the_readme(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert cli.commands[command].help, f"{command} has no help text"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"crosspost {command}\b", readme), f"README does not show `crosspost {command}`"


def test_version_and_help():
    runner = CliRunner()
    assert runner.invoke(cli, ["--version"]).output.startswith("crosspost, version ")
    assert runner.invoke(cli, ["-h"]).exit_code == 0


def test_malformed_start_url_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["crawl", "--db", str(tmp_path / "c.db"), "ftp://x.test/"])
    assert result.exit_code == 2
    assert "not an http(s) URL" in result.output


def test_foreign_database_is_an_error_not_a_traceback(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("hello")
    result = CliRunner().invoke(cli, ["crawl", "--db", str(path), "http://a.test/"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "not a SQLite database" in result.output
