"""Review and curation: an append-only log of acts, replayed on every build.

A corpus folder may hold ``curation.jsonl``: one JSON object per line, one **act** per line, never
rewritten (diffable in git). An act names a statement by content, not by annotation ids, so it
still finds it after the text or its annotations are edited:

``act``           ``accept`` | ``reject`` | ``correct`` | ``add`` | ``add-entity``
``document``      the document id (or PMID)
``subject``, ``predicate``, ``object``   entity CURIEs (``kg:ketamine``) and the property's name
``sentence``      ``[start, end]`` of the sentence, and ``quote``: its text (the key that survives
                  offset shifts: an act matches the statement whose sentence reads ``quote``)
``curator``, ``time`` (ISO 8601), ``reason``, ``tags`` (from :data:`TAGS`)
``set``           ``correct``: the new ``predicate``, ``negated``, ``certainty``, ``evidence_level``
                  or qualifier (``comparison``, ``degree``, ``mediation``); ``add``: the statement's
                  ``subject_text`` / ``object_text`` (where in the sentence) and flags

``add-entity`` is lexicon growth: its subject is an entity the text named outside the lexicon
(``kg:text/compound/zorbamine``), its predicate ``rdf:type``, its object the class, and ``set``
the reviewed entry (``entity``, ``label``, ``synonyms``, ``identifiers``); every build grounds
with the grown lexicon (:mod:`kgraph.curation.entities`), and ``kgraph curate lexicon`` writes the
entries as ``ontology/entities.ttl`` Turtle (:mod:`kgraph.curation.lexicon`).

**Replay** (:func:`replay`, a pure function over :class:`~kgraph.model.Document` objects) runs
on every build: a curator's later act supersedes their earlier one; when the latest acts of two
curators disagree the statement is *contested* and stays as the source had it (never silent
last-writer-wins); an accepted proposal becomes a claim; a corrected statement is rebuilt with the
new values; a rejected one keeps its assertion (marked rejected, with the reason) but gives no
direct triple and no place in the claim summary; an added one joins its document. An act whose
statement is no longer found is an **orphan**, reported with file and line.

Review happens in the explorer's review mode (:mod:`kgraph.curation.explorer`), the CLI
(``kgraph curate``), the notebook (``kg.curate``) or over HTTP (:mod:`kgraph.curation.web`); all
make acts through :func:`kgraph.curation.acts.make_act`, so they write the same lines.

In RDF (:func:`act_lines`) every act is a W3C Web Annotation on the assertion: motivation
``oa:assessing`` (accept, reject) or ``oa:editing`` (correct, add), a textual body with the
reason, ``prov:wasAttributedTo`` the curator and ``dcterms:created`` the time; the assertion gets
``kgo:reviewStatus`` (``kgo:Accepted`` | ``kgo:Rejected`` | ``kgo:Corrected`` | ``kgo:Added`` |
``kgo:Contested``).

>>> act = Act("reject", "d1", "kg:ketamine", "antagonistOf", "kg:nmda_receptor",
...           curator="ann", time="2026-01-02T03:04:05Z", reason="not in the text", tags=("not_in_text",))
>>> line = act.to_json()
>>> Act.from_json(line, "curation.jsonl", 1) == act
True
>>> Act.from_json('{"act": "reject"}', "curation.jsonl", 7)
Traceback (most recent call last):
...
kgraph.errors.FormatError: curation.jsonl:7: act lacks document, subject, predicate, object, curator, time
"""

from .log import ACTS, LOG, TAGS, Act, append, now, read_log
from .rdf import act_lines
from .replay import Curation, Replay, excluded, replay, status

__all__ = [
    "ACTS",
    "LOG",
    "TAGS",
    "Act",
    "Curation",
    "Replay",
    "act_lines",
    "append",
    "excluded",
    "now",
    "read_log",
    "replay",
    "status",
]
