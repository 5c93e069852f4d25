"""Fuzz tests of the loaders and of the strategic engine: hostile input gives a located error.

Three generators, each bounded in examples (derandomised in CI by the ``ci`` profile):

* mutations of the shipped scenarios' text (byte flips, line deletions and duplications,
  numbers replaced by ``1e400``, ``.inf``, ``.nan``, ``-0``, huge integers, deep nesting);
* generated strategic sections (random decision makers, options, statements, rankings,
  prioritizations, infeasible statements, irreversibility), then mutated the same way;
* ``stability`` on small generated strategic models.

The property: loading gives a valid scenario, or a :class:`ScenarioError` whose problems are
all located (``file:line:column``); no other exception and no warning (the suite turns warnings
into errors). A model that loads is compiled and analysed without any exception but a
``ValueError`` with a message. Longer local runs (``FUZZ_EXAMPLES=5000``) found the cases kept
in ``fuzz_regressions/`` (see ``test_fuzz_regressions.py``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zopa.catalog import embedded_ids, embedded_text
from zopa.io.scenario_file import ScenarioError, parse_scenario
from zopa.model.scenario import Scenario

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

GOOD = Path(__file__).parent / "good_scenarios"
TEXTS = {sid: embedded_text(sid) for sid in embedded_ids()} | {
    p.stem: p.read_bytes() for p in sorted(GOOD.glob("*.yaml"))
}

HOSTILE_NUMBERS = [
    "1e400",
    "-1e400",
    ".inf",
    "-.inf",
    ".nan",
    "-0",
    "-0.0",
    "1" + "0" * 400,
    "9" * 5000,
    "1.7e308",
    "-1.7e308",
    "5e-324",
    "0x" + "f" * 200,
    "0o777",
]
NUMBER = re.compile(rb"(?<![\w.])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![\w.-])")


def check_loads(text: bytes | str, file: str = "fuzz.yaml") -> Scenario | None:
    """Load ``text``: a scenario, or None after checking that every problem is located."""
    try:
        return parse_scenario(text, file)
    except ScenarioError as exc:
        problems = exc.problems
    assert problems, "a ScenarioError without problems"
    for problem in problems:
        assert problem.mark is not None, f"unlocated problem: {problem}"
        assert problem.mark.line >= 1
        assert problem.mark.column >= 1
        assert str(problem).startswith(f"{file}:{problem.mark.line}:{problem.mark.column}:")
    return None


# -- mutations ---------------------------------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """Apply one to three random mutations to a YAML text."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(["flip", "delete-line", "duplicate-line", "number", "nest", "insert"])
        )
        lines = bytes(data).split(b"\n")
        if kind == "flip" and data:
            at = draw(st.integers(0, len(data) - 1))
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "delete-line" and len(lines) > 1:
            del lines[draw(st.integers(0, len(lines) - 1))]
            data = bytearray(b"\n".join(lines))
        elif kind == "duplicate-line" and lines:
            k = draw(st.integers(0, len(lines) - 1))
            lines.insert(k, lines[k])
            data = bytearray(b"\n".join(lines))
        elif kind == "number":
            found = list(NUMBER.finditer(bytes(data)))
            if found:
                m = found[draw(st.integers(0, len(found) - 1))]
                new = draw(st.sampled_from(HOSTILE_NUMBERS)).encode()
                data[m.start() : m.end()] = new
        elif kind == "nest" and lines:
            k = draw(st.integers(0, len(lines) - 1))
            depth = draw(st.sampled_from([5, 40, 70, 300]))
            shape = draw(st.sampled_from(["[", "{a: ", "- "]))
            close = {"[": "]", "{a: ": "}", "- ": ""}[shape]
            value = (shape * depth + "1" + close * depth).encode()
            line = lines[k]
            colon = line.find(b": ")
            lines[k] = line[: colon + 2] + value if colon >= 0 else value
            data = bytearray(b"\n".join(lines))
        elif kind == "insert":
            at = draw(st.integers(0, len(data)))
            junk = draw(st.sampled_from([b"&a ", b"*a", b"!!python/object ", b": ", b"\t", b"'"]))
            data[at:at] = junk
    return bytes(data)


@FUZZ
@given(data=st.data(), name=st.sampled_from(sorted(TEXTS)))
def test_mutated_scenarios_load_or_fail_located(data: st.DataObject, name: str) -> None:
    text = data.draw(mutated(TEXTS[name]))
    check_loads(text)


# -- generated strategic sections --------------------------------------------------------------


def statement(options: list[str], clean: bool = False) -> st.SearchStrategy[str]:
    """Statements about options, mostly well formed, sometimes deep, long or broken."""
    literal = st.one_of(
        st.sampled_from(options),
        st.integers(1, len(options)).map(str)
        if clean
        else st.integers(0, len(options) + 1).map(str),
        *([] if clean else [st.sampled_from(["zz", "if", "(", ")", "&", "Y-"])]),
    )
    tree = st.recursive(
        literal,
        lambda inner: st.one_of(
            inner.map(lambda x: f"-{x}"),
            inner.map(lambda x: f"({x})"),
            st.tuples(inner, st.sampled_from([" & ", " | ", " if ", " iff ", "&"]), inner).map(
                lambda t: f"({''.join(t)})" if clean else "".join(t)
            ),
        ),
        max_leaves=8,
    )
    if clean:
        return tree
    deep = st.tuples(
        st.sampled_from(["(", "-", "-("]), st.sampled_from([30, 33, 200]), st.sampled_from(options)
    ).map(lambda t: t[0] * t[1] + t[2] + (")" * t[1] if "(" in t[0] else ""))
    long = st.integers(100, 400).map(lambda k: " & ".join([options[0]] * k))
    return st.one_of(tree, tree, tree, deep, long)


def vector(n: int, pattern: bool = False) -> st.SearchStrategy[str]:
    letters = "YN-" if pattern else "YN"
    return st.text(alphabet=letters, min_size=max(1, n - 1), max_size=n + 1)


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def strategic_text(draw: st.DrawFn, clean: bool = False) -> str:
    """A standalone strategic scenario as YAML text.

    With ``clean``, a valid one (statements well formed, rankings of the feasible states,
    known options), else often not.
    """
    from zopa.gmcr.statements import holds, parse_statement

    sizes = draw(st.lists(st.integers(1, 3), min_size=2 if clean else 1, max_size=3))
    dms = [f"D{i}" for i in range(len(sizes))]
    options: list[str] = []
    lines = ["zopa: 1", "id: fuzz", "title: Fuzz", "strategic:", "  decision_makers:"]
    for dm, size in zip(dms, sizes, strict=True):
        own = [f"{dm.lower()}o{k}" for k in range(size)]
        options += own
        lines.append(f"    {dm}: {{options: {{{', '.join(f'{o}: x' for o in own)}}}}}")
    n = len(options)
    codes = list(range(1 << n))
    if draw(st.booleans()):
        infeasible = draw(
            st.lists(
                statement(options, clean)
                if clean
                else st.one_of(statement(options), vector(n, pattern=True)),
                max_size=2,
            )
        )
        lines.append(f"  infeasible: [{', '.join(quoted(s) for s in infeasible)}]")
        if clean:
            exprs = [parse_statement(text, options) for text in infeasible]
            codes = [c for c in codes if not any(holds(e, c) for e in exprs)]
            if not codes:
                del lines[-1]
                codes = list(range(1 << n))
    if draw(st.booleans()):
        pool = options if clean else [*options, "nope"]
        chosen = draw(st.lists(st.sampled_from(pool), max_size=2, unique=True))
        kinds = ["forward", "backward"] if clean else ["forward", "backward", "sideways"]
        ways = [draw(st.sampled_from(kinds)) for _ in chosen]
        pairs = ", ".join(f"{o}: {w}" for o, w in zip(chosen, ways, strict=True))
        lines.append(f"  irreversible: {{{pairs}}}")
    states = [format(c, f"0{n}b")[::-1].replace("1", "Y").replace("0", "N") for c in codes]
    if draw(st.booleans()):
        quo = (
            draw(st.sampled_from(states))
            if clean
            else draw(st.one_of(vector(n, True), statement(options)))
        )
        lines.append(f"  status_quo: {quoted(quo)}")
    lines.append("  preferences:")
    who = (
        st.just(dms)
        if clean
        else st.lists(st.sampled_from([*dms, "DX"]), min_size=1, max_size=4, unique=True)
    )
    for dm in draw(who):
        if draw(st.booleans()):
            order = draw(st.permutations(states))
            if not clean and draw(st.booleans()) and len(order) > 1:
                order = order[1:]  # a state missing
            entries = [quoted(s) for s in order]
            if len(entries) > 2 and draw(st.booleans()):
                entries[0:2] = [f"[{entries[0]}, {entries[1]}]"]  # a tie
            lines.append(f"    {dm}: {{ranking: [{', '.join(entries)}]}}")
        else:
            prio = draw(st.lists(statement(options, clean), min_size=1, max_size=4))
            lines.append(f"    {dm}: {{prioritization: [{', '.join(quoted(s) for s in prio)}]}}")
    return "\n".join(lines) + "\n"


@FUZZ
@given(strategic_text())
def test_generated_strategic_models_load_or_fail_located(text: str) -> None:
    check_loads(text)


@FUZZ
@given(st.data())
def test_mutated_strategic_models_load_or_fail_located(data: st.DataObject) -> None:
    text = data.draw(strategic_text())
    check_loads(data.draw(mutated(text.encode())))


def analyse(scenario: Scenario) -> None:
    """Compile and analyse a loaded strategic model as ``zopa stability`` does."""
    from zopa.gmcr.analysis import stability_report, status_quo_report
    from zopa.gmcr.compile import compile_game, compile_uncertain

    assert scenario.strategic is not None
    game = compile_game(scenario.strategic)
    compile_uncertain(scenario.strategic)
    coalitions = [list(game.dms)]
    report = stability_report(game, coalitions)
    doc = report.to_dict()
    assert len(doc["states"]) == int(game.feasible.sum())
    stable = {c: table & game.feasible for c, table in report.result.stable.items()}
    for i in range(game.n_dms):  # R ⊆ SMR ⊆ GMR and R ⊆ SEQ ⊆ GMR (Fang et al. 1993, ch. 4)
        assert not (stable["R"][i] & ~stable["SMR"][i]).any()
        assert not (stable["SMR"][i] & ~stable["GMR"][i]).any()
        assert not (stable["R"][i] & ~stable["SEQ"][i]).any()
        assert not (stable["SEQ"][i] & ~stable["GMR"][i]).any()
    start = game.status_quo if game.status_quo is not None else int(game.feasible_codes()[0])
    paths = status_quo_report(report, start, "GMR", coalitions)
    assert paths["from"] == game.state_number(start)


@FUZZ
@given(strategic_text(clean=True))
def test_stability_on_generated_models(text: str) -> None:
    scenario = check_loads(text)
    assert scenario is not None, "the clean generator made an invalid model"
    analyse(scenario)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_the_unmutated_texts_load(name: str) -> None:
    assert check_loads(TEXTS[name]) is not None
