"""Check zopa's GENIUS import and export against GENIUS itself (its Java code), bid by bid.

GENIUS (Lin et al. 2014, "Genius: An integrated environment for supporting the design of
generic automated negotiators", Computational Intelligence 30(1)) defines the utilities zopa's
importer reproduces. This script compiles GENIUS's own classes from a copy of its sources (given
by ``--genius-src``, e.g. the ``external/genius10.4/src/main/java`` folder of NegMAS's
repository; nothing of GENIUS is copied into zopa) together with a small driver written here,
``CheckUtilities.java``, which loads a domain file and utility files with GENIUS's
``DomainImpl`` and ``AdditiveUtilitySpace`` and prints every bid's utilities (``getUtility``).
GENIUS 10.4 needs the JAXB annotations removed from Java 11; the script declares those eight
annotation types (empty declarations) so that the sources compile with a current JDK.

For every folder under the arguments (the ANAC layout):

* **import**: zopa imports the folder (:func:`zopa.io.genius_import.import_genius_folder`) and
  each bid's utilities from zopa's compiled model are compared with GENIUS's;
* **export**: the imported scenario is exported (:func:`zopa.io.genius_write.export_genius`),
  GENIUS loads the written files, and its utilities are compared with zopa's again.

It prints, per folder, the largest absolute difference of each check (or why the folder was not
compared). Domains with more than ``--max-outcomes`` bids are skipped (GENIUS prints every bid).

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/genius_java_check.py FOLDER [...] \\
        --genius-src PATH/TO/genius10.4/src/main/java [--max-outcomes 20000]

Needs ``javac`` and ``java`` (a JDK 11 or later).
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

DRIVER = """
import genius.core.Bid;
import genius.core.BidIterator;
import genius.core.DomainImpl;
import genius.core.issue.Issue;
import genius.core.utility.AdditiveUtilitySpace;

/** Prints every bid of a domain, then each profile's utility of it, as GENIUS computes it. */
public class CheckUtilities {
    public static void main(String[] args) throws Exception {
        DomainImpl domain = new DomainImpl(args[0]);
        AdditiveUtilitySpace[] spaces = new AdditiveUtilitySpace[args.length - 1];
        for (int i = 1; i < args.length; i++) {
            spaces[i - 1] = new AdditiveUtilitySpace(domain, args[i]);
        }
        BidIterator bids = new BidIterator(domain);
        while (bids.hasNext()) {
            Bid bid = bids.next();
            StringBuilder line = new StringBuilder();
            for (Issue issue : domain.getIssues()) {
                line.append(bid.getValue(issue.getNumber())).append("\\t");
            }
            for (AdditiveUtilitySpace space : spaces) {
                line.append(" ").append(space.getUtility(bid));
            }
            System.out.println(line);
        }
    }
}
"""

ANNOTATIONS = (
    "XmlAttribute",
    "XmlElement",
    "XmlElementRef",
    "XmlRootElement",
    "XmlSeeAlso",
    "XmlType",
)


def compile_genius(genius_src: Path, out: Path) -> None:
    """Compile the driver and the GENIUS classes it needs into ``out``."""
    stubs = out / "stubs"
    package = stubs / "javax" / "xml" / "bind" / "annotation"
    (package / "adapters").mkdir(parents=True, exist_ok=True)
    for name in ANNOTATIONS:
        (package / f"{name}.java").write_text(
            "package javax.xml.bind.annotation;\n"
            "@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)\n"
            f'public @interface {name} {{ String name() default ""; '
            "Class<?>[] value() default {}; boolean required() default false; }\n",
            encoding="utf-8",
        )
    (package / "adapters" / "XmlAdapter.java").write_text(
        "package javax.xml.bind.annotation.adapters;\n"
        "public abstract class XmlAdapter<V, B> {\n"
        "  public abstract B unmarshal(V v) throws Exception;\n"
        "  public abstract V marshal(B b) throws Exception;\n}\n",
        encoding="utf-8",
    )
    (package / "adapters" / "XmlJavaTypeAdapter.java").write_text(
        "package javax.xml.bind.annotation.adapters;\n"
        "@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)\n"
        "public @interface XmlJavaTypeAdapter { Class<? extends XmlAdapter> value(); }\n",
        encoding="utf-8",
    )
    driver = out / "CheckUtilities.java"
    driver.write_text(DRIVER, encoding="utf-8")
    classes = out / "classes"
    classes.mkdir(exist_ok=True)
    subprocess.run(
        [
            "javac",
            "-nowarn",
            "-d",
            str(classes),
            "-sourcepath",
            f"{genius_src}{os.pathsep}{stubs}",
            str(driver),
        ],
        check=True,
        capture_output=True,
    )


def genius_utilities(
    classes: Path, domain: Path, profiles: list[Path]
) -> dict[tuple[str, ...], list[float]]:
    """Every bid's utilities as GENIUS computes them, keyed by the bid's values."""
    done = subprocess.run(
        ["java", "-cp", str(classes), "CheckUtilities", str(domain), *map(str, profiles)],
        capture_output=True,
        text=True,
        check=True,
    )
    out = {}
    for line in done.stdout.splitlines():
        *values, numbers = line.split("\t")
        out[tuple(values)] = [float(x) for x in numbers.split()]
    return out


def zopa_utilities(s: Any) -> dict[tuple[str, ...], list[float]]:
    """Every package's utilities from zopa's compiled model, keyed as GENIUS prints bids."""
    from zopa.space.compile import compile_scenario

    space = compile_scenario(s)
    labels = [
        [
            s.issues[i].option_label(o) if s.issues[i].range is None else o
            for o in s.issues[i].option_ids()
        ]
        for i in space.issues
    ]
    out = {}
    for idx in itertools.product(*[range(len(o)) for o in space.options]):
        key = tuple(labels[i][k] for i, k in enumerate(idx))
        out[key] = [
            float(sum(c[r, k] for c, k in zip(space.contributions, idx, strict=True)))
            for r in range(space.n_parties)
        ]
    return out


def largest_difference(
    genius: dict[tuple[str, ...], list[float]], zopa: dict[tuple[str, ...], list[float]]
) -> float:
    if set(genius) != set(zopa):
        return float("inf")
    return max(abs(a - b) for key in genius for a, b in zip(genius[key], zopa[key], strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--genius-src", type=Path, required=True)
    parser.add_argument("--max-outcomes", type=int, default=20_000)
    args = parser.parse_args(argv)

    from zopa.io.genius_import import find_genius_files, import_genius_folder
    from zopa.io.genius_write import GeniusExportError, export_genius
    from zopa.io.scenario_file import ScenarioError

    with tempfile.TemporaryDirectory() as tmp:
        compile_genius(args.genius_src, Path(tmp))
        classes = Path(tmp) / "classes"
        print("| domain | bids | import: max difference | export: max difference |")
        print("|---|---:|---:|---:|")
        skipped = []
        roots = [Path(f).resolve() for f in args.folders]
        common = Path(os.path.commonpath([str(r) for r in roots]))
        folders = sorted(
            {
                Path(d)
                for r in roots
                for d, _, fs in os.walk(r)
                if any(f.endswith(".xml") for f in fs)
            }
        )
        for folder in folders:
            name = str(folder.relative_to(common)) if folder != common else folder.name
            try:
                imported = import_genius_folder(folder)
            except ScenarioError as exc:
                skipped.append(f"{name}: refused by zopa ({exc.problems[0].message[:60]})")
                continue
            s = imported.scenario
            size = 1
            for issue in s.issues.values():
                size *= len(issue.option_ids())
            if size > args.max_outcomes:
                skipped.append(f"{name}: {size:,} bids > --max-outcomes")
                continue
            if any(i.range is not None and i.range.step != 1 for i in s.issues.values()):
                skipped.append(f"{name}: a real issue (GENIUS bids are continuous there)")
                continue
            domain, profiles = find_genius_files(folder)
            ours = zopa_utilities(s)
            on_import = largest_difference(genius_utilities(classes, domain, profiles), ours)
            try:
                export = export_genius(s)
            except GeniusExportError as exc:
                skipped.append(f"{name}: not exportable ({exc.reasons[0][:60]})")
                continue
            out = Path(tmp) / "export" / folder.name
            paths = export.write(out, force=True)
            theirs = genius_utilities(classes, paths[0], paths[1:])
            # the export writes integer issues as GENIUS integer issues, or as discrete issues
            # listing their grid points: both print a bid's values the same way
            on_export = largest_difference(theirs, ours)
            print(f"| {name} | {size:,} | {on_import:.1e} | {on_export:.1e} |", flush=True)
        if skipped:
            print("\nNot compared:")
            for line in skipped:
                print(f"- {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
