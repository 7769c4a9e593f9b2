"""The annotator's speed paths (issue 14, E7) give the same output as the plain ones."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kgraph.annotate import annotate_text
from kgraph.annotate import relations as relations_mod
from kgraph.annotate.rules import load_rules
from kgraph.model import Mention, Span

SEEDS = sorted((Path(__file__).parents[2] / ".." / "shared" / "seeds").glob("*.txt"))
TEXTS = [
    "Ketamine, an NMDA receptor antagonist, may relieve depression in mice.",
    "Esketamine and arketamine block NMDA receptors, but did not cause psychosis.",
    "Haloperidol-induced catalepsy was reduced by ketamine and lithium in rats.",
    "NMDA receptors block ketamine. Depression and anxiety improved with esketamine.",
]


def _all_rules(rules, ms):
    return rules.relations


def _texts() -> list[str]:
    return TEXTS + [p.read_text(encoding="utf-8") for p in SEEDS[:6]]


@pytest.mark.parametrize("text", _texts())
def test_skipping_rules_no_class_pair_fits_changes_nothing(text: str, monkeypatch) -> None:
    fast = annotate_text(text)
    monkeypatch.setattr(relations_mod, "live_rules", _all_rules)
    slow = annotate_text(text)
    assert fast.relations == slow.relations
    assert fast.mentions == slow.mentions


def test_live_rules_keeps_only_rules_a_class_pair_fits() -> None:
    rules = load_rules()
    one = Mention("T1", "Compound", (Span(0, 1),), "a")
    two = Mention("T2", "Receptor", (Span(2, 3),), "b")
    live = relations_mod.live_rules(rules, [one, two])
    assert live and len(live) < len(rules.relations)
    pairs = [("Compound", "Receptor"), ("Receptor", "Compound")]

    def can(rule, a: str, b: str) -> bool:
        return (
            any(rules.fits(p, a, b) for p in rule.properties)
            and (not rule.subjects or any(rules.is_a(a, c) for c in rule.subjects))
            and (not rule.objects or any(rules.is_a(b, c) for c in rule.objects))
        )

    assert [r for r in rules.relations if any(can(r, a, b) for a, b in pairs)] == list(live)
    # a single mention of a class pairs with nothing, two of one class pair with each other
    assert relations_mod.live_rules(rules, [one]) == ()
    same = relations_mod.live_rules(rules, [one, replace(one, id="T3")])
    assert all(any(rules.fits(p, "Compound", "Compound") for p in r.properties) for r in same)


def test_a_replaced_rules_object_does_not_share_the_fits_memo() -> None:
    rules = load_rules()
    assert rules.fits("antagonistOf", "Compound", "Receptor")
    narrowed = replace(rules, domains={**rules.domains, "antagonistOf": frozenset({"Receptor"})})
    assert not narrowed.fits("antagonistOf", "Compound", "Receptor")
    assert rules.fits("antagonistOf", "Compound", "Receptor")
