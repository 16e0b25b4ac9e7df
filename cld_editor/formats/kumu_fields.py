"""Kumu's field names: where a Kumu record keeps its id, sign, domain and delay.

Kumu's own exports (a project backup) name records by ``_id`` and nest their fields under
``attributes``; blueprints written by hand or by other tools put them at the top, by any case.
:func:`flat` gives one record's fields by lower-case name, and the rest read them: the sign is
the first ``+`` or ``-`` in ``polarity``, ``connection type``, ``type`` (the blueprint's name
for Kumu's "connection type"), then ``label``; the domain comes from a ``domain`` field, then
the element type (``element type`` or ``type``), then a tag (``tags``: a list, or ``A|B`` as
Kumu's sheets write it), each counting only if it says exactly CX, EX, "customer experience" or
"employee experience" (any case); tags naming both CX and EX give none. What cannot be read is
passed over and said in the import report.
"""

from __future__ import annotations

from typing import Any

from .conversion import ConversionReport

SIGNS = {
    "+": "+",
    "-": "-",
    "−": "-",
    "s": "+",
    "o": "-",
    "positive": "+",
    "negative": "-",
    "?": "?",
    "unknown": "?",
}
SIGN_FIELDS = ("polarity", "connection type", "type", "label")
DOMAIN_WORDS = {
    "cx": "CX",
    "ex": "EX",
    "customer experience": "CX",
    "employee experience": "EX",
}


def sign(*values: Any) -> str:
    """The first + or - among ``values`` (the :data:`SIGN_FIELDS`, in order); else ? ("?" or
    "unknown" in one of them says so outright, but never hides a sign in another)."""
    read = [SIGNS.get(v.strip().lower()) for v in values if isinstance(v, str)]
    return next((found for found in read if found in ("+", "-")), "?")


def note_unread_sign(given: list[Any], report: ConversionReport) -> None:
    """Say why a connection became ?: it gave no sign, or one cld-editor does not read."""
    texts = [str(v).strip() for v in given if v is not None and str(v).strip()]
    unread = [t for t in texts if t.lower() not in SIGNS]
    if not texts:
        report.count(
            "a connection without a sign (polarity or type + or -) was read as ?",
            "{n} connections without a sign (polarity or type + or -) were read as ?",
        )
    elif unread and not any(t.lower() in SIGNS for t in texts):
        report.count(
            "a connection whose sign cld-editor does not know was read as ?",
            "{n} connections whose signs cld-editor does not know were read as ?",
            repr(unread[0][:20]),
        )


def truthy(value: Any) -> bool:
    return value is True or (
        isinstance(value, str) and value.strip().lower() in ("true", "yes", "1")
    )


def number(value: Any) -> float | None:
    try:
        read = float(value)
    except (TypeError, ValueError):
        return None
    return read if read == read and abs(read) < 1e9 else None


def flat(record: dict[str, Any], report: ConversionReport) -> dict[str, Any]:
    """A record's fields by lower-case name: its own first, then those Kumu's exports nest
    under ``attributes`` (an empty value gives way to a filled one); ``_id`` stands in for a
    missing ``id``."""
    attributes = record.get("attributes", {})
    if not isinstance(attributes, dict):
        report.count(
            "a record's attributes were not an object and were ignored",
            "{n} records' attributes were not objects and were ignored",
        )
        attributes = {}
    out: dict[str, Any] = {}
    for source in (record, attributes):
        for name, value in source.items():
            key = str(name).strip().lower()
            if key != "attributes" and out.get(key) in (None, ""):
                out[key] = value
    if out.get("id") in (None, "") and out.get("_id") not in (None, ""):
        out["id"] = out["_id"]
    return out


def domain(element: dict[str, Any], report: ConversionReport) -> str | None:
    """CX or EX from the ``domain`` field, else the element type, else the tags (module
    docstring); what names no domain is passed over, and a disagreement is said."""
    given = element.get("domain")
    explicit = _domain_word(given)
    if explicit is None and given not in (None, "") and not isinstance(given, bool):
        report.count(
            "an element's domain that is not CX or EX was ignored",
            "{n} elements' domains that are not CX or EX were ignored",
            repr(str(given)[:20]),
        )
    typed = _domain_word(element.get("element type")) or _domain_word(element.get("type"))
    found = [d for d in (explicit, typed, _tagged(element.get("tags"), report)) if d]
    if len(set(found)) > 1:
        report.count(
            "an element whose domain, type and tags disagree took the first (domain, type, tags)",
            "{n} elements whose domain, type and tags disagree took the first (domain, type, tags)",
        )
    return found[0] if found else None


def _domain_word(value: Any) -> str | None:
    return DOMAIN_WORDS.get(value.strip().lower()) if isinstance(value, str) else None


def _tagged(tags: Any, report: ConversionReport) -> str | None:
    """The domain the tags name: a list, or Kumu's ``A|B`` text; none if they name both."""
    if isinstance(tags, str):
        tags = tags.split("|")
    elif not isinstance(tags, list):
        if tags not in (None, ""):
            report.count(
                "an element's tags were not a list or text and were ignored",
                "{n} elements' tags were not lists or text and were ignored",
            )
        return None
    named = {_domain_word(tag) for tag in tags} - {None}
    if len(named) > 1:
        report.count(
            "an element tagged both CX and EX took no domain from its tags",
            "{n} elements tagged both CX and EX took no domain from their tags",
        )
        return None
    return named.pop() if named else None
