"""What keeps a large ingest feasible: the store's boilerplate snapshot stays bounded, and
signing does no per-article work that could be done once."""

from __future__ import annotations

import json

from dedupe import BoilerplateModel, SignatureParams
from dedupe.boilerplate import _PERSIST_RECENT


def test_boilerplate_snapshot_stays_bounded_and_keeps_what_is_learning():
    model = BoilerplateModel()
    footer = 999_999_999
    # A footer seen twice early on, then many articles of one-off paragraphs.
    model.observe("news.example", [footer, 1, 2])
    model.observe("news.example", [footer, 3, 4])
    for article in range(10_000):  # 30,000 one-off paragraphs, below max_pending
        model.observe("news.example", [10_000 + article * 3 + i for i in range(3)])
    saved = model.to_dict()
    pending = saved["outlets"]["news.example"]["pending"]
    assert len(pending) <= _PERSIST_RECENT + 10
    assert len(json.dumps(saved)) < 2_000_000
    assert f"{footer:016x}" in pending
    # After a reload the footer becomes boilerplate on its third article, as before.
    reloaded = BoilerplateModel.from_dict(saved)
    assert reloaded.observe("news.example", [footer, 5, 6])
    assert footer in set(reloaded.boilerplate("news.example").tolist())
    assert BoilerplateModel.from_dict(reloaded.to_dict()).to_dict() == reloaded.to_dict()


def test_signature_fingerprint_is_computed_once_and_still_tells_parameters_apart():
    params = SignatureParams()
    assert params.fingerprint() is params.fingerprint()
    assert params.fingerprint() == SignatureParams().fingerprint()
    assert params.fingerprint() != SignatureParams(num_perm=64).fingerprint()
    assert params == SignatureParams() and params.to_dict() == SignatureParams().to_dict()
