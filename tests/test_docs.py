"""The documentation keeps up with the program: every command and option is in docs/cli.md,
every command in the README, every link between the pages resolves, the README stays short,
and the CSV columns are in the documented order."""

from __future__ import annotations

import csv
import re

import click
import pytest
from conftest import ROOT, run_cli

from crawler.cli import cli

DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def _options():
    for name, command in sorted(cli.commands.items()):
        for param in command.params:
            if isinstance(param, click.Option):
                for opt in param.opts + param.secondary_opts:
                    yield name, opt


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_in_the_readme_and_the_cli_page(command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert re.search(rf"crosspost {command}\b", readme), f"README does not name `crosspost {command}`"
    assert f"## crosspost {command}\n" in page, f"docs/cli.md has no section for {command}"


@pytest.mark.parametrize(("command", "option"), list(_options()))
def test_every_option_is_in_its_commands_section(command, option):
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    section = page.split(f"## crosspost {command}\n", 1)[1].split("\n## ", 1)[0]
    assert f"`{option}`" in section, f"docs/cli.md does not document {command} {option}"


def _anchors(text: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    out = set()
    for heading in re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        out.add(slug)
    return out


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_resolves(page):
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        assert file.exists(), f"{page.name}: broken link {target}"
        if anchor and file.suffix == ".md":
            assert anchor in _anchors(file.read_text(encoding="utf-8")), \
                f"{page.name}: no heading #{anchor} in {file.name}"


def test_readme_is_one_page_for_a_newcomer():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    for command in ("make demo", "make test"):
        assert command in readme
    # no first-person passages anywhere in the documentation
    for page in PAGES:
        prose = re.sub(r"```.*?```|`[^`]*`", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
        assert not re.search(r"\b(I|we|We|our|Our|my|My)\b", prose), page.name


def test_every_page_is_in_the_docs_index():
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for page in DOCS.glob("*.md"):
        if page.name != "README.md":
            assert f"({page.name}" in index, f"docs/README.md does not link {page.name}"


def _documented_columns(file: str) -> list[str]:
    exports = (DOCS / "exports.md").read_text(encoding="utf-8")
    row = next(line for line in exports.splitlines() if line.startswith(f"| `NAME.{file}.csv`"))
    return re.findall(r"`([^`]+)`", row.split("|")[2])


def test_csv_columns_follow_the_documented_order(full_crawl, tmp_path):
    db, _, _ = full_crawl
    result = run_cli(["export", str(tmp_path / "g.csv"), "--db", str(db)])
    assert result.returncode == 0, result.stderr
    for file in ("nodes", "edges"):
        header = next(csv.reader((tmp_path / f"g.{file}.csv").open(encoding="utf-8")))
        documented = [c for c in _documented_columns(file) if c in header]
        assert documented == [c for c in header if c in documented], (file, header)
        assert header[: len(documented[:4])] == documented[:4]
