"""What every part of the scenario model shares: the base model, ids, texts and citations."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Annotated, Any

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


class Model(BaseModel):
    """Base of every scenario model: immutable, strict about unknown fields, numbers finite."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, allow_inf_nan=False, defer_build=True
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
