"""Blocking and pair scoring for ``tocsin.link`` (see its docstring, steps 1-2)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pandas as pd
from scipy import sparse

THRESHOLD = 0.4
DAY_SLACK = 3
FAR_KM = 300.0
NEAR_KM = 100.0
MIN_TEXT = 0.35
SLICE = 512
# function words left out when claims are compared by their words
STOPWORDS = frozenset({
    "the", "a", "an", "of", "to", "in", "on", "at", "for", "and", "or", "but", "that", "this",
    "with", "from", "by", "as", "is", "are", "was", "were", "be", "been", "has", "have", "had",
    "it", "its", "their", "they", "he", "she", "said", "says", "say", "will", "would", "could",
    "may", "might", "not", "no", "than", "after", "before", "over", "into", "near", "about",
    "some", "all", "more", "most", "other",
})  # fmt: skip
WORD = re.compile(r"[a-z][a-z'-]+")


def party(code: object) -> str | None:
    """The party of an actor code: ``RUS:MIL`` -> ``RUS``; None when unknown."""
    return str(code).split(":", 1)[0] if isinstance(code, str) and code else None


def days(values: pd.Series) -> np.ndarray:
    """Dates as day numbers; -1 for unknown."""
    dates = pd.to_datetime(values, errors="coerce")
    days = (dates - pd.Timestamp("1970-01-01")).dt.days
    return days.fillna(-1).to_numpy(dtype=np.int64)


def _word_matrix(texts: list[str]) -> sparse.csr_matrix:
    """Rows of L2-normalised binary content-word vectors."""
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, text in enumerate(texts):
        words = {w for w in WORD.findall(text.lower()) if w not in STOPWORDS}
        for w in words:
            rows.append(i)
            cols.append(vocab.setdefault(w[:6], len(vocab)))
    data = np.ones(len(rows), dtype=np.float32)
    m = sparse.csr_matrix((data, (rows, cols)), shape=(len(texts), max(len(vocab), 1)))
    m.data[:] = 1.0
    norms = np.sqrt(np.asarray(m.sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ m)


def weeks(start: np.ndarray) -> np.ndarray:
    """The blocking week of each day number (days since 1970-01-01 // 7); -1 when
    undated (unknown or before 1970, as ``WEEK_SQL`` in ``tocsin.relink`` says too)."""
    return np.where(start >= 0, start // 7, -1)


def _blocks(family: np.ndarray, start: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(rows, candidate rows) per family and week; undated claims per family.

    The candidates are the block's own rows, then the rows of the next week.
    """
    frame = pd.DataFrame({"family": family, "week": weeks(start)})
    groups = frame.groupby(["family", "week"]).indices
    for (fam, wk), rows in groups.items():
        if wk < 0:
            yield rows, rows
            continue
        nxt = groups.get((fam, wk + 1))
        yield rows, (np.concatenate([rows, nxt]) if nxt is not None else rows)


def _haversine(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def scored_pairs(
    frame: pd.DataFrame, family: np.ndarray, focus: np.ndarray | None = None
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Pairs of row positions whose score reaches ``THRESHOLD`` (see the docstring),
    as arrays ``(i, j)`` slice by slice. With ``focus`` (a boolean per row), only
    the pairs with at least one focus row, at a cost of focus rows x block.

    Whether a pair is joined depends only on its two claims (never on the other
    rows of the frame or their order), which is what lets ``tocsin.relink``
    score only the new claims against the blocks they fall in.
    """
    start, end = days(frame["date_start"]), days(frame["date_end"])
    end = np.where(end >= 0, end, start)
    week = weeks(start)
    lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype=float)
    parties = pd.Series([party(a) for a in frame["actor"]]).astype("category")
    party_ids = parties.cat.codes.to_numpy()
    types = frame["type"].astype("category").cat.codes.to_numpy()
    docs = frame["doc_id"].astype("category").cat.codes.to_numpy()
    texts = (frame["trigger"].fillna("") + " " + frame["quote"].fillna("")).tolist()
    words = _word_matrix(texts)
    for rows, cands in _blocks(family, start):
        if focus is None:
            parts = [(rows, cands)]
        elif focus[cands].any():  # cands start with rows: focus rows x block, then
            parts = [(rows[focus[rows]], cands), (rows[~focus[rows]], cands[focus[cands]])]
        else:
            continue
        for some_rows, some_cands in parts:
            if not len(some_rows) or not len(some_cands):
                continue
            for lo in range(0, len(some_rows), SLICE):
                r = some_rows[lo : lo + SLICE]
                rs, cs = r[:, None], some_cands[None, :]
                text = (words[r] @ words[some_cands].T).toarray()
                known = (start[rs] >= 0) & (start[cs] >= 0)
                time_ok = ~known | (
                    (start[rs] <= end[cs] + DAY_SLACK) & (start[cs] <= end[rs] + DAY_SLACK)
                )
                dist = _haversine(lat[rs], lon[rs], lat[cs], lon[cs])
                has_place = ~np.isnan(dist)
                place_ok = ~has_place | (dist <= FAR_KM)
                near = has_place & (dist <= NEAR_KM)
                same_type = types[rs] == types[cs]
                same_party = (party_ids[rs] >= 0) & (party_ids[rs] == party_ids[cs])
                score = 0.4 * text + 0.25 * same_party + 0.2 * near + 0.15 * same_type
                same_doc_party = same_party & (docs[rs] == docs[cs])
                related = (same_type & ((text >= 0.15) | near | same_doc_party)) | (
                    text >= MIN_TEXT
                )
                # a pair inside one week once (i < j); a pair with the next week's
                # rows whatever the order of the two rows in the frame
                once = (rs < cs) | (week[rs] != week[cs])
                ok = time_ok & place_ok & related & (score >= THRESHOLD) & once
                i, j = np.nonzero(ok)
                if len(i):
                    yield r[i], some_cands[j]
