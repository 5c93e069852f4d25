"""Small wording helpers shared by every report: plurals, signed amounts, input names."""

from __future__ import annotations

_IRREGULAR = {"analysis": "analyses", "party": "parties", "strategy": "strategies"}


def plural(n: int | float, noun: str, many: str | None = None) -> str:
    """Return ``"1 sample"``, ``"2 samples"``, ``"1,000 samples"``.

    Parameters
    ----------
    n
        The count (thousands are separated by commas; a float is shown as given, e.g. ``1.5``).
    noun
        The singular.
    many
        The plural when it is not ``noun + "s"`` (a few irregular nouns are known).
    """
    word = noun if n == 1 else (many or _IRREGULAR.get(noun) or noun + "s")
    count = f"{n:,}" if isinstance(n, int) else f"{n:g}"
    return f"{count} {word}"


def gain_or_loss(change: float, digits: int = 3, *, subject: str = "") -> str:
    """Describe a change of utility without a negative number: ``loses 0.120`` / ``gains 0.050``.

    A change that rounds to zero at ``digits`` decimals reads ``loses nothing``.
    """
    lead = f"{subject} " if subject else ""
    amount = round(abs(change), digits)
    if amount == 0:
        return f"{lead}loses nothing"
    verb = "gains" if change > 0 else "loses"
    return f"{lead}{verb} {amount:.{digits}f}"


def input_label(path: str) -> str:
    """A short reading of an input's path: ``preferences.RU.reservation`` → ``RU walk-away point``."""
    parts = path.split(".")
    if parts[0] == "preferences" and len(parts) >= 3:
        party, what = parts[1], parts[2]
        if what == "reservation" and len(parts) == 3:
            return f"{party} walk-away point"
        if what == "weights" and len(parts) == 4:
            return f"{party} weight of {parts[3]}"
        if what == "values" and len(parts) >= 5:
            option = ".".join(parts[4:])
            if option.startswith("piecewise[") and "(x=" in option:  # a knot of a value curve
                return f"{party} value of {parts[3]} at {option.split('(x=')[1].rstrip(')')}"
            return f"{party} value of {parts[3]}={option}"
    if parts[0] == "forecast" and len(parts) == 4:
        return f"{parts[2]} {parts[3]}"
    return path
