"""Write BioRED documents in the three shapes NCBI's PubTator3 export API serves them.

``https://www.ncbi.nlm.nih.gov/research/pubtator3-api/publications/export/{biocjson,biocxml,pubtator}``
answers with:

* **biocjson**: one JSON object ``{"PubTator3": [document, ...]}``; each document has ``_id``
  (``"PMID|None"``), ``id``, ``pmid`` (a number), ``pmcid``, ``date``, ``journal``, ``authors``,
  ``meta``, ``relations_display`` beside the BioC fields; passages carry ``type`` and
  ``section_type`` infons; annotation infons hold ``identifier`` (``MESH:D…`` for chemicals and
  diseases, NCBI Gene / Taxonomy numbers, ``;`` between several genes, tmVar strings for variants),
  ``type`` (``Chemical``, ``Disease``, ``Gene``, ``Species``, ``Variant`` with a ``subtype``,
  ``CellLine``), ``valid`` (a JSON boolean), ``normalized`` (a list), ``database``,
  ``normalized_id``, ``biotype``, ``name`` and ``accession`` (``@CHEMICAL_Lidocaine``); relations
  sit at document level with ``nodes: []`` and infons ``type``, ``score`` and ``role1``/``role2``
  *objects* naming the concepts by accession;
* **biocxml**: the same collection in BioC XML, role infons as accession strings;
* **pubtator**: PubTator text, variants typed by their subtype, relation ends written
  ``Type|identifier``.

The documents come from BioRED (``../shared/corpora/biored``), whose types and relation types
PubTator3 shares; its ids are rewritten into PubTator3's spelling. Nothing here is copied into the
repository: the files are written at test time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

#: BioRED type → (PubTator3 type, biotype, database).
TYPES = {
    "ChemicalEntity": ("Chemical", "chemical", "ncbi_mesh"),
    "DiseaseOrPhenotypicFeature": ("Disease", "disease", "ncbi_mesh"),
    "GeneOrGeneProduct": ("Gene", "gene", "ncbi_gene"),
    "OrganismTaxon": ("Species", "species", "ncbi_taxonomy"),
    "SequenceVariant": ("Variant", "variant", "tmvar"),
    "CellLine": ("CellLine", "cellline", "cellosaurus"),
}


@dataclass
class Mention:
    start: int
    end: int
    text: str
    type: str  # BioRED's
    raw_id: str  # BioRED's


@dataclass
class Doc:
    pmid: str
    title: str
    abstract: str
    mentions: list[Mention] = field(default_factory=list)
    relations: list[tuple[str, str, str]] = field(default_factory=list)  # type, id 1, id 2

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.abstract}"


def read_biored(path: Path, limit: int | None = None) -> list[Doc]:
    """The documents of a BioRED PubTator file (a small parser of its own, for independence)."""
    docs: list[Doc] = []
    by_id: dict[str, Doc] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if "|t|" in line.split("\t", 1)[0]:
            pmid, _, title = line.partition("|t|")
            if limit is not None and len(docs) == limit:
                break
            doc = Doc(pmid, title, "")
            docs.append(doc)
            by_id[pmid] = doc
        elif "|a|" in line.split("\t", 1)[0]:
            pmid, _, abstract = line.partition("|a|")
            by_id[pmid].abstract = abstract
        else:
            f = line.split("\t")
            if f[1].isdigit():
                by_id[f[0]].mentions.append(Mention(int(f[1]), int(f[2]), f[3], f[4], f[5]))
            else:
                by_id[f[0]].relations.append((f[1], f[2], f[3]))
    return docs


def _subtype(raw: str) -> str:
    if raw.lower().startswith("rs"):
        return "SNP"
    return "ProteinMutation" if raw.startswith("p|") else "DNAMutation"


def identifier(m: Mention) -> str | None:
    """A BioRED id in PubTator3's spelling (``None`` where PubTator3 has no identifier)."""
    raw = m.raw_id.strip()
    if raw in ("", "-"):
        return None
    if m.type in ("ChemicalEntity", "DiseaseOrPhenotypicFeature"):
        return ";".join(f"MESH:{p}" for p in re.split(r"[,|]", raw))
    if m.type == "SequenceVariant":
        if raw.lower().startswith("rs"):
            return f"RS#:{raw[2:]};VariantGroup:0"
        return f"tmVar:{raw};VariantGroup:0"
    return ";".join(p.strip() for p in re.split(r"[,|]", raw))


def _parts(raw: str, btype: str) -> list[str]:
    raw = raw.strip()
    return [raw] if btype == "SequenceVariant" else [p.strip() for p in re.split(r"[,|;]", raw)]


@dataclass
class Shaped:
    """A document in PubTator3's terms: annotations with accessions, relations by accession."""

    doc: Doc
    accession_of: dict[str, str]  # BioRED raw id part → accession
    skipped: int  # relations whose end is a composite (PubTator3 has no such relation)

    def relations(self) -> list[tuple[str, str, str]]:
        out = []
        for rtype, a, b in self.doc.relations:
            if a in self.accession_of and b in self.accession_of:
                out.append((rtype, a, b))
        return out


def shape(doc: Doc) -> Shaped:
    """One accession per concept, carried by the annotations whose (first) id it is.

    An annotation has one accession, so a concept that occurs only as the second id of a composite
    mention has none, and a relation that names it is left out (``skipped``)."""
    accession_of: dict[str, str] = {}
    for m in doc.mentions:
        if identifier(m) is None:
            continue
        _, biotype, _ = TYPES[m.type]
        first = _parts(m.raw_id, m.type)[0]
        name = re.sub(r"\W+", "_", m.text).strip("_")
        accession_of.setdefault(first, f"@{biotype.upper()}_{name}_{len(accession_of)}")
    skipped = sum(1 for _, a, b in doc.relations if a not in accession_of or b not in accession_of)
    return Shaped(doc, accession_of, skipped)


def _annotation(k: int, m: Mention, shaped: Shaped) -> dict:
    ptype, biotype, database = TYPES[m.type]
    ident = identifier(m)
    infons: dict = {"identifier": ident, "type": ptype}
    if m.type == "SequenceVariant":
        infons["subtype"] = _subtype(m.raw_id.strip())
    infons.update(
        {
            "valid": ident is not None,
            "normalized": [] if ident is None else ident.split(";")[:1],
            "database": database,
            "normalized_id": None if ident is None else ident.split(";")[0].split(":")[-1],
            "biotype": biotype,
            "name": m.text,
            "accession": shaped.accession_of.get(_parts(m.raw_id, m.type)[0]),
        }
    )
    return {
        "id": str(k),
        "infons": infons,
        "text": m.text,
        "locations": [{"offset": m.start, "length": m.end - m.start}],
    }


def _role(accession: str, shaped: Shaped) -> dict:
    name = accession.split("_", 1)[1].replace("_", " ")
    biotype = accession[1:].split("_", 1)[0].lower()
    return {"identifier": accession, "name": name, "biotype": biotype, "accession": accession}


def biocjson(docs: list[Doc]) -> str:
    """The ``biocjson`` export of ``docs``: ``{"PubTator3": [...]}``, one line, as served."""
    out = []
    for doc in docs:
        shaped = shape(doc)
        title_end = len(doc.title)
        anns = [_annotation(k, m, shaped) for k, m in enumerate(doc.mentions, 1)]
        title_anns = [a for a, m in zip(anns, doc.mentions, strict=True) if m.end <= title_end]
        abstract_anns = [a for a, m in zip(anns, doc.mentions, strict=True) if m.end > title_end]
        relations = []
        display = []
        for k, (rtype, a, b) in enumerate(shaped.relations(), 1):
            ra, rb = shaped.accession_of[a], shaped.accession_of[b]
            relations.append(
                {
                    "id": f"R{k}",
                    "infons": {
                        "score": "0.9871",
                        "role1": _role(ra, shaped),
                        "role2": _role(rb, shaped),
                        "type": rtype,
                    },
                    "nodes": [],
                }
            )
            display.append({"name": f"{rtype.lower()}|{ra}|{rb}"})
        out.append(
            {
                "_id": f"{doc.pmid}|None",
                "id": doc.pmid,
                "infons": {},
                "passages": [
                    {
                        "infons": {
                            "journal": "Test J. 2020;1(1):1-2.",
                            "year": "2020",
                            "type": "title",
                            "authors": "Writer A, Author B",
                            "section": "Title",
                            "section_type": "TITLE",
                        },
                        "offset": 0,
                        "text": doc.title,
                        "sentences": [],
                        "annotations": title_anns,
                        "relations": [],
                    },
                    {
                        "infons": {
                            "type": "abstract",
                            "section": "Abstract",
                            "section_type": "ABSTRACT",
                        },
                        "offset": title_end + 1,
                        "text": doc.abstract,
                        "sentences": [],
                        "annotations": abstract_anns,
                        "relations": [],
                    },
                ],
                "relations": relations,
                "pmid": int(doc.pmid),
                "pmcid": None,
                "meta": {},
                "date": "2020-01-01T00:00:00Z",
                "journal": "Test J",
                "authors": ["Writer A", "Author B"],
                "relations_display": display,
            }
        )
    return json.dumps({"PubTator3": out}, ensure_ascii=False)


def _xml_infons(infons: dict) -> str:
    parts = []
    for key, value in infons.items():
        if value is None or isinstance(value, list):
            continue
        if isinstance(value, bool):
            value = str(value).lower()
        parts.append(f"<infon key={quoteattr(key)}>{escape(str(value))}</infon>")
    return "".join(parts)


def biocxml(docs: list[Doc]) -> str:
    """The ``biocxml`` export of ``docs`` (one line per element group, no DOCTYPE fetched)."""
    body = []
    for doc in docs:
        shaped = shape(doc)
        anns = [_annotation(k, m, shaped) for k, m in enumerate(doc.mentions, 1)]
        title_end = len(doc.title)
        passages = []
        for kind, offset, text, in_title in (
            ("title", 0, doc.title, True),
            ("abstract", title_end + 1, doc.abstract, False),
        ):
            xml_anns = "".join(
                f'<annotation id="{a["id"]}">{_xml_infons(a["infons"])}'
                f'<location offset="{m.start}" length="{m.end - m.start}"/>'
                f"<text>{escape(m.text)}</text></annotation>"
                for a, m in zip(anns, doc.mentions, strict=True)
                if (m.end <= title_end) == in_title
            )
            passages.append(
                f'<passage><infon key="type">{kind}</infon>'
                f'<infon key="section_type">{kind.upper()}</infon>'
                f"<offset>{offset}</offset><text>{escape(text)}</text>{xml_anns}</passage>"
            )
        relations = "".join(
            f'<relation id="R{k}"><infon key="score">0.9871</infon>'
            f'<infon key="role1">{escape(shaped.accession_of[a])}</infon>'
            f'<infon key="role2">{escape(shaped.accession_of[b])}</infon>'
            f'<infon key="type">{rtype}</infon></relation>'
            for k, (rtype, a, b) in enumerate(shaped.relations(), 1)
        )
        body.append(f"<document><id>{doc.pmid}</id>{''.join(passages)}{relations}</document>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE collection SYSTEM "BioC.dtd">'
        "<collection><source>PubTator</source><date>2020-01-01</date><key>BioC.key</key>"
        + "".join(body)
        + "</collection>"
    )


def pubtator(docs: list[Doc]) -> str:
    """The ``pubtator`` export of ``docs``: relation ends as ``Type|identifier``."""
    out = []
    for doc in docs:
        shaped = shape(doc)
        lines = [f"{doc.pmid}|t|{doc.title}", f"{doc.pmid}|a|{doc.abstract}"]
        first_id: dict[str, tuple[str, str]] = {}
        for m in doc.mentions:
            ptype, _, _ = TYPES[m.type]
            if m.type == "SequenceVariant":
                ptype = _subtype(m.raw_id.strip())
            ident = identifier(m)
            lines.append(f"{doc.pmid}\t{m.start}\t{m.end}\t{m.text}\t{ptype}\t{ident or '-'}")
            if ident is not None:
                for part, piece in zip(
                    _parts(m.raw_id, m.type), _parts(ident, m.type), strict=False
                ):
                    first_id.setdefault(part, (TYPES[m.type][0], piece))
        for rtype, a, b in shaped.relations():
            (ta, ia), (tb, ib) = first_id[a], first_id[b]
            lines.append(f"{doc.pmid}\t{rtype}\t{ta}|{ia}\t{tb}|{ib}")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out) + "\n"
