"""Render a stored document as text with its extracted spans marked.

Mentions are marked inline as ``[[text|kind: value]]``; where spans overlap the
longer one wins (the shorter is still listed with the events below the text).
"""

from __future__ import annotations

from typing import Any

from tocsin.export import plain


def mention_label(m: dict[str, Any]) -> str:
    """A short readable value for one mention row."""
    kind = m["kind"]
    m = {k: plain(v) for k, v in m.items()}
    if kind == "actor":
        value = m.get("code") or f"? {m.get('reason') or 'uncoded'}"
    elif kind == "place":
        if m.get("geonameid") is None and m.get("lat") is None:
            value = f"? {m.get('reason') or 'unresolved'}"
        else:
            where = f"{m.get('name')}, {m.get('admin1') or '-'}, {m.get('country')}"
            value = f"{where} ({m.get('precision')})"
    elif kind == "time":
        start, end = m.get("date_start"), m.get("date_end")
        value = (
            (f"{start}" if start == end else f"{start}..{end}") if start else f"? {m.get('reason')}"
        )
    elif kind == "quantity":
        value = " ".join(
            str(x) for x in (m.get("approx"), m.get("value"), m.get("unit"), m.get("counts")) if x
        )
    else:
        value = f"{m.get('code')}" + (f" {m.get('name')}" if m.get("name") else "")
    return f"{kind}: {value}"


def mark_spans(text: str, mentions: list[dict[str, Any]]) -> str:
    """Insert ``[[...|...]]`` marks for non-overlapping mentions, longest first."""
    chosen: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    for m in sorted(mentions, key=lambda m: (-(m["end"] - m["start"]), m["start"])):
        s, e = int(m["start"]), int(m["end"])
        if any(s < te and ts < e for ts, te in taken):
            continue
        chosen.append(m)
        taken.append((s, e))
    out, pos = [], 0
    for m in sorted(chosen, key=lambda m: m["start"]):
        s, e = int(m["start"]), int(m["end"])
        out.append(text[pos:s])
        out.append(f"[[{text[s:e]}|{mention_label(m)}]]")
        pos = e
    out.append(text[pos:])
    return "".join(out)


def render_document(doc: dict[str, Any]) -> str:
    lines = [
        f"Document {doc['id']}",
        f"  source:    {doc['source']}",
        f"  title:     {doc.get('title') or '-'}",
        f"  outlet:    {doc.get('outlet') or '-'}",
        f"  published: {plain(doc.get('published')) or '-'}",
    ]
    copies = [r for r in doc.get("reports", []) if r["kind"] != "original"]
    if copies:
        lines.append(
            f"  also reported by {len(copies)} copies: "
            + ", ".join(str(r["source"]) for r in copies[:5])
        )
    lines += ["", mark_spans(doc["text"], doc.get("mentions", [])), ""]
    evs = doc.get("events", [])
    lines.append(f"Events ({len(evs)}):")
    for e in evs:
        e = {k: plain(v) for k, v in e.items()}
        flags = "".join(f" [{f}]" for f in ("negated", "hedged") if e.get(f))
        where = e.get("place_name") or "-"
        when = e.get("date_start") or "-"
        if e.get("date_end") and e.get("date_end") != when:
            when = f"{when}..{e['date_end']}"
        lines.append(
            f"  {e['type']}{'/' + e['mode'] if e.get('mode') else ''}{flags}: "
            f"{e.get('actor') or '?'} -> {e.get('target') or '-'} at {where} on {when} "
            f"(trigger '{e['trigger']}' @{e['trigger_start']}; {e.get('date_source') or 'no'} date)"
        )
    return "\n".join(lines)
