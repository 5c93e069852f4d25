"""What every part of the scenario model shares: the base model, ids, texts and citations."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Annotated, Any

import pydantic.main
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$")
"""Ids of parties, issues, options, sources, decision makers...: letters, digits, ``_.+-``."""

CITATION = re.compile(r"\[([^\[\]]+)\]")
"""A citation of sources in a basis text: ``[source-id]`` or ``[id-1, id-2]``."""

Text = Annotated[str, Field(min_length=1)]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


IdList = Annotated[list[str], BeforeValidator(_as_list, json_schema_input_type=str | list[str])]
"""One id or a list of ids."""


LAZY_BUILD = hasattr(pydantic.main, "_rebuild_lock")
"""Whether the models build their validators at first use instead of at import (``defer_build``).

Only the scenario's validator is then built (at the first validation), not one per model: some
15 ms less at every start of ``zopa``. Only with a pydantic whose lazy build is thread-safe
(2.14 serialises ``model_rebuild`` with a lock, pydantic#13438): with an older one, two threads
of the web workspace first using a model at once could validate with a half-built model.
"""


class Model(BaseModel):
    """Base of every scenario model: immutable, strict about unknown fields, numbers finite."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, allow_inf_nan=False, defer_build=LAZY_BUILD
    )


def cited_sources(text: str) -> list[str]:
    """Return the source ids a text cites as ``[id]`` or ``[id-1, id-2]``, in order."""
    return [one.strip() for ref in CITATION.findall(text) for one in ref.split(",")]


def basis_problems(
    text: str, sources: Collection[str] | None, judgement: str | None = None
) -> list[tuple[str, str | None]]:
    """Return the problems of a basis text as ``(message, offending value)``.

    Parameters
    ----------
    text
        The basis.
    sources
        The scenario's source ids; every citation must name one (None: not checked).
    judgement
        What the basis justifies when that is an analyst judgement (e.g. ``"capability and
        salience"``): the text must then say so with the word "Assumption".
    """
    out: list[tuple[str, str | None]] = []
    if judgement is not None and "assumption" not in text.lower():
        out.append(
            (
                f"{judgement} are analyst judgements: the basis must say 'Assumption' (and "
                "cite what it rests on as [source-id])",
                None,
            )
        )
    if sources is not None:
        out += [
            (f"basis cites unknown source [{one}]", one)
            for one in cited_sources(text)
            if one not in sources
        ]
    return out
