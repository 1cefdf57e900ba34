"""GEXF checks shared by the graph and export tests: the GEXF 1.3 schema and graphology.

The GEXF 1.3 XSD as published declares the viz elements (color, position, size, thickness,
shape) in the main GEXF namespace instead of the viz namespace, so it rejects every file
with viz data (see shared/data/gexf_schema/1.3/SOURCE.md). ``_gexf_schema`` repairs only
those namespace declarations, in a temporary copy, before validating.

graphology (node) is the second reader: ``graphology`` gives a function that prints a GEXF
file as JSON as graphology-gexf reads it. Test modules wrap both in fixtures.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SCHEMA_DIR = SHARED_DATA / "gexf_schema" / "1.3"
NODE_CACHE = Path(os.environ.get("CROSSPOST_NODE_CACHE", Path.home() / ".cache" / "crosspost-node"))
VIZ = "http://gexf.net/1.3/viz"
READER_JS = r"""
const fs = require('fs');
const zlib = require('zlib');
const Graph = require('graphology');
const gexf = require('graphology-gexf');
let buf = fs.readFileSync(process.argv[2]);
if (process.argv[2].endsWith('.gz')) buf = zlib.gunzipSync(buf);
const g = gexf.parse(Graph, buf.toString('utf8'), {addMissingNodes: false});
const out = {type: g.type, order: g.order, size: g.size, nodes: {}, edges: []};
g.forEachNode((key, attrs) => { out.nodes[key] = attrs; });
g.forEachEdge((key, attrs, source, target) => out.edges.push({source, target, attrs}));
process.stdout.write(JSON.stringify(out));
"""


def gexf_schema_or_skip():
    """The GEXF 1.3 schema (repaired, see the module docstring); skips without shared data."""
    if not SCHEMA_DIR.is_dir():
        pytest.skip(f"GEXF 1.3 schema not found at {SCHEMA_DIR} (shared data is absent)")
    return _gexf_schema(SCHEMA_DIR)


@functools.cache
def _gexf_schema(folder: Path):
    import tempfile

    from lxml import etree

    gexf = (folder / "gexf.xsd").read_text()
    dyn = (folder / "dynamics.xsd").read_text()
    viz = (folder / "viz.xsd").read_text()
    viz = viz.replace('<xs:import namespace="http://gexf.net/1.3" schemaLocation="gexf.xsd"/>', "")
    viz = viz.replace(
        'xmlns:ns1="http://gexf.net/1.3">',
        f'xmlns:ns1="http://gexf.net/1.3" targetNamespace="{VIZ}" xmlns="{VIZ}">',
        1,
    )
    groups = {
        "color": "color-content",
        "position": "position-content",
        "size": "size-content",
        "thickness": "thickness-content",
    }
    elements = "".join(
        f'<xs:element name="{name}"><xs:complexType><xs:attributeGroup ref="{group}"/>'
        "</xs:complexType></xs:element>"
        for name, group in groups.items()
    )
    shape = (
        '<xs:element name="shape"><xs:complexType>'
        '<xs:attribute name="value" use="required" type="xs:token"/>'
        '<xs:attribute name="uri" type="xs:anyURI"/></xs:complexType></xs:element>'
    )
    viz = viz.replace("</xs:schema>", elements + shape + "</xs:schema>")
    block = r'<xs:element name="{}">\s*<xs:complexType>\s*<xs:attributeGroup ref="[a-z-]+"/>\s*</xs:complexType>\s*</xs:element>'
    for name in groups:
        dyn, count = re.subn(block.format(name), "", dyn)
        assert count == 1, f"schema layout changed: no viz {name} element to repair"
        dyn = dyn.replace(f'ref="ns1:{name}"', f'ref="viz:{name}"')
    dyn = re.sub(block.format("shape"), '<xs:element ref="viz:shape"/>', dyn)
    dyn = dyn.replace(
        '<xs:import schemaLocation="viz.xsd"/>',
        f'<xs:import namespace="{VIZ}" schemaLocation="viz.xsd"/>',
    )
    dyn = dyn.replace(
        'xmlns:ns1="http://gexf.net/1.3">', f'xmlns:ns1="http://gexf.net/1.3" xmlns:viz="{VIZ}">', 1
    )
    gexf = gexf.replace(
        '<xs:import schemaLocation="viz.xsd"/>',
        f'<xs:import namespace="{VIZ}" schemaLocation="viz.xsd"/>',
    )
    tmp = Path(tempfile.mkdtemp(prefix="gexf-xsd-"))
    for name, text in (("gexf.xsd", gexf), ("dynamics.xsd", dyn), ("viz.xsd", viz)):
        (tmp / name).write_text(text)
    return etree.XMLSchema(etree.parse(str(tmp / "gexf.xsd")))


def assert_valid(schema, path: Path) -> None:
    from lxml import etree

    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as handle:
        doc = etree.parse(handle)
    if not schema.validate(doc):
        errors = "\n".join(str(e) for e in list(schema.error_log)[:5])
        pytest.fail(f"{path.name} does not validate against GEXF 1.3:\n{errors}")


@functools.cache
def graphology_reader():
    """A node command that prints a GEXF file as JSON, as graphology-gexf reads it.

    Skips when node or npm is missing; installs graphology into ``NODE_CACHE`` once.
    """
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node and npm are needed for the graphology GEXF reader (not installed)")
    NODE_CACHE.mkdir(parents=True, exist_ok=True)
    if not (NODE_CACHE / "node_modules" / "graphology-gexf").is_dir():
        result = subprocess.run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "--silent",
                "--prefix",
                str(NODE_CACHE),
                "graphology@0.26",
                "graphology-gexf@0.13",
            ],
            check=False,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            pytest.fail(f"npm install graphology graphology-gexf failed:\n{result.stderr[-2000:]}")
    script = NODE_CACHE / "read_gexf.js"
    script.write_text(READER_JS)

    def read(path: Path) -> dict:
        out = subprocess.run(
            [node, str(script), str(path)],
            check=False,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=NODE_CACHE,
        )
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    return read
