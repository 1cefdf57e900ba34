"""The layout's dependency rules and the CLI's documentation promises."""

import ast
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "dedupe": {"crawler", "graph", "scrapy", "sqlite_utils", "trafilatura", "twisted"},
    "graph": {"crawler", "dedupe", "scrapy", "sqlite_utils", "trafilatura", "twisted"},
    "crawler/spiders": {"sqlite_utils", "crawler.store"},
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
