"""Relation rules, context cues, confidence bins and provenance of proposals (issue 14, E3–E6).

Each test is a small sentence of our own that one rule, cue or bin decision must get right.
"""

from __future__ import annotations

from kgraph.annotate import annotate_text


def claims(text: str, **kw) -> list[tuple[str, str, str, bool]]:
    doc = annotate_text(text, **kw)
    return [
        (r.type, doc.mention(r.subject).text, doc.mention(r.object).text, r.negated)
        for r in doc.relations
    ]


# -- the scheme: which property a rule proposes ---------------------------------------------------


def test_a_drug_that_brings_on_a_condition_causes_it() -> None:
    # the kgraph scheme: a Condition brought on by a drug is `causes`, not BC5CDR's `induces`
    found = claims("In this patient, ketamine caused depression.")
    assert ("causes", "ketamine", "depression", False) in found
    assert not any(t == "induces" for t, *_ in found)


def test_no_effect_on_a_measure_is_a_negated_influence() -> None:
    assert claims("Ketamine had no effect on locomotor activity in rats.") == [
        ("influences", "Ketamine", "locomotor activity", True)
    ]


def test_a_direction_beats_an_unstated_change() -> None:
    # "increased" (increases) and "affect" (influences) both could fire: the specific one wins
    found = claims("Ketamine increased BDNF levels but did not affect locomotor activity.")
    assert ("increases", "Ketamine", "BDNF", False) in found
    assert ("influences", "Ketamine", "locomotor activity", True) in found
