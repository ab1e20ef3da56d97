"""``tocsin eval geo``: score toponym resolution on GeoWebNews / LGL style XML.

The file holds ``<article>`` elements, each with ``<text>`` and ``<toponyms>``;
every ``<toponym>`` has ``<start>``/``<end>`` character offsets into the text and,
when it names a point, ``<latitude>``/``<longitude>`` (GeoWebNews; LGL's
``<gaztag>`` with ``<lat>``/``<lon>`` and ``<phrase>`` is read as well). Articles
are analysed as written (no cleaning, so the offsets hold) with
:func:`tocsin.nlp.pipeline.analyze`.

Measures, over gold toponyms that have coordinates:

* ``acc_161km_gold``: given the gold span, share resolved within 161 km of the gold
  point (:func:`tocsin.nlp.places.resolve_spans`, with the places tocsin found in
  the article as context); no candidate is a miss.
* ``e2e``: tocsin's own places with a point, matched to a gold toponym they overlap
  and lie within 161 km of; precision over tocsin's places (those overlapping a gold
  toponym without coordinates are not counted), recall over gold toponyms.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tocsin.evaluate._common import (
    EvalInputError,
    EvalResult,
    Miss,
    Unreadable,
    gazetteer_of,
    run_documents,
)
from tocsin.evaluate.metrics import haversine_km, overlaps, prf, ratio
from tocsin.models import Document, Place
from tocsin.nlp.places import resolve_spans

if TYPE_CHECKING:
    from tocsin.run import Settings

DESCRIPTION = "GeoWebNews / LGL XML: toponym spans -> GeoNames points (161 km)"
KM = 161.0


@dataclass(frozen=True)
class Toponym:
    """A gold toponym: its span and, when it names a point, the point."""

    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Article:
    source: str
    text: str
    toponyms: tuple[Toponym, ...]


def _float(node: ET.Element, *names: str) -> float | None:
    for name in names:
        value = node.findtext(name)
        if value and value.strip():
            return float(value)
    return None


def _toponym(node: ET.Element, text: str) -> Toponym:
    start, end = int(node.findtext("start") or ""), int(node.findtext("end") or "")
    name = node.findtext("extractedName") or node.findtext("phrase") or ""
    if not 0 <= start < end <= len(text) or (name and text[start:end] != name):
        raise ValueError(f"offsets {start}-{end} do not hold {name!r}")
    lat = _float(node, "latitude", "lat")
    lon = _float(node, "longitude", "lon")
    return Toponym(start, end, text[start:end], lat, lon)


def read_articles(path: Path) -> tuple[list[Article], list[Unreadable]]:
    """Articles with their gold toponyms, and the toponyms that could not be used."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise EvalInputError(f"{path} is not XML ({exc}); expected GeoWebNews or LGL XML") from exc
    nodes = root.findall("article")
    if not nodes:
        found = sorted({child.tag for child in root})
        raise EvalInputError(
            f"{path} has no <article> elements (found <{root.tag}> with "
            f"{', '.join(f'<{t}>' for t in found) or 'no children'}); expected GeoWebNews or "
            "LGL XML: <articles><article><text/><toponyms><toponym>...</toponym>"
        )
    articles: list[Article] = []
    bad: list[Unreadable] = []
    for i, node in enumerate(nodes):
        source = f"{path}#article{node.get('file') or node.get('docid') or i}"
        text = node.findtext("text")
        holder = node.find("toponyms")
        if text is None or holder is None:
            bad.append(Unreadable(source, "article without <text> or <toponyms>"))
            continue
        toponyms = []
        for j, top in enumerate(list(holder)):
            try:
                toponyms.append(_toponym(top, text))
            except ValueError as exc:
                bad.append(Unreadable(f"{source}/toponym{j}", str(exc)))
        articles.append(Article(source, text, tuple(toponyms)))
    return articles, bad


def _distance(place: Place | None, gold: Toponym) -> float | None:
    if place is None or place.lat is None or place.lon is None:
        return None
    assert gold.lat is not None and gold.lon is not None
    return haversine_km(gold.lat, gold.lon, place.lat, place.lon)


def _within(place: Place, gold: Toponym) -> bool:
    dist = _distance(place, gold)
    return dist is not None and dist <= KM


def evaluate(paths: Sequence[Path], settings: Settings) -> EvalResult:
    """Score toponym resolution on every article of the XML files in ``paths``."""
    articles: list[Article] = []
    unreadable: list[Unreadable] = []
    for path in paths:
        read, bad = read_articles(path)
        articles.extend(read)
        unreadable.extend(bad)
    docs = [Document(id=f"geo{i}", source=a.source, text=a.text) for i, a in enumerate(articles)]
    results = run_documents(docs, settings)
    gazetteer = gazetteer_of(settings)
    gold_hits = gold_total = tp = fp = fn = 0
    misses: list[Miss] = []
    for article, result in zip(articles, results, strict=True):
        pointed = [t for t in article.toponyms if t.lat is not None and t.lon is not None]
        unpointed = [t for t in article.toponyms if t.lat is None or t.lon is None]
        found = list(result.mentions.places)
        given = resolve_spans(article.text, [(t.start, t.end) for t in pointed], gazetteer, found)
        for gold, place in zip(pointed, given, strict=True):
            gold_total += 1
            dist = _distance(place, gold)
            if dist is not None and dist <= KM:
                gold_hits += 1
                continue
            misses.append(_miss(article, gold, place, dist))
        located = [p for p in found if p.lat is not None and p.lon is not None]
        matched: set[int] = set()
        for place in located:
            hit = next(
                (
                    i
                    for i, g in enumerate(pointed)
                    if i not in matched
                    and overlaps((place.start, place.end), (g.start, g.end))
                    and _within(place, g)
                ),
                None,
            )
            if hit is not None:
                matched.add(hit)
                tp += 1
            elif not any(overlaps((place.start, place.end), (g.start, g.end)) for g in unpointed):
                fp += 1
        fn += len(pointed) - len(matched)
    e2e = prf(tp, fp, fn)
    figures: dict[str, Any] = {
        "n_articles": len(articles),
        "n_toponyms": gold_total,
        "acc_161km_gold": ratio(gold_hits, gold_total),
        "e2e": e2e,
        "unreadable": len(unreadable),
    }
    table = (
        ("accuracy@161km, gold toponyms", figures["acc_161km_gold"], gold_total),
        ("end-to-end precision", e2e["precision"], tp + fp),
        ("end-to-end recall", e2e["recall"], tp + fn),
        ("end-to-end F1", e2e["f1"], gold_total),
    )
    return EvalResult("geo", figures, table, tuple(misses), tuple(unreadable))


def _miss(article: Article, gold: Toponym, place: Place | None, dist: float | None) -> Miss:
    context = article.text[max(0, gold.start - 150) : gold.end + 150]
    predicted = {
        "name": place.name if place else None,
        "precision": place.precision if place else None,
        "country": place.country if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "distance_km": round(dist, 1) if dist is not None else None,
        "reason": place.reason if place else None,
    }
    gold_view = {"toponym": gold.text, "lat": gold.lat, "lon": gold.lon}
    severity = dist if dist is not None else 20_000.0
    return Miss(
        f"{article.source}@{gold.start}", context, gold_view, predicted, ("161km",), severity
    )
