"""The scenario models build their validators at first use, safely from several threads.

``zopa.model.base.LAZY_BUILD`` (pydantic's ``defer_build``) saves start-up time; it is on only
with a pydantic whose lazy build holds a lock, since the web workspace validates in threads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import zopa

SMALL = Path(__file__).parents[1] / "io" / "good_scenarios" / "small-domain.yaml"
SRC = Path(zopa.__file__).resolve().parents[1]

THREADS = """
import json, sys, threading
from zopa.model.base import LAZY_BUILD
from zopa.model.scenario import Party, Scenario
from zopa.io.scenario_file import load_scenario_file

complete_at_import = [Scenario.__pydantic_complete__, Party.__pydantic_complete__]
start = threading.Barrier(8)
results, errors = [], []

def work():
    start.wait()
    try:
        s = load_scenario_file(sys.argv[1])
        results.append(json.dumps([p.model_dump() for p in s.parties.values()]))
    except Exception as exc:
        errors.append(repr(exc))

threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({"lazy": LAZY_BUILD, "complete_at_import": complete_at_import,
                  "distinct": len(set(results)), "n": len(results), "errors": errors}))
"""


def test_first_validations_in_eight_threads_at_once_agree() -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", THREADS, str(SMALL)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    report = json.loads(done.stdout)
    assert report["errors"] == []
    assert report["n"] == 8
    assert report["distinct"] == 1
    # built at import unless lazy: then at the first validation, once
    assert report["complete_at_import"] == [not report["lazy"]] * 2
