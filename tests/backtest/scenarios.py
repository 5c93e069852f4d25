"""Small synthetic scenarios with outcomes, whose backtests can be computed by hand.

Two belligerents, A and B; two issues, ``x`` (options a0, a1, a2) and ``y`` (b0, b1). Utilities:

======== ====== ====== ====== ====== ====== ======
package  a0 b0  a0 b1  a1 b0  a1 b1  a2 b0  a2 b1
======== ====== ====== ====== ====== ====== ======
u_A      0      0.5    0.25   0.75   0.5    1
u_B      1      0.8    0.6    0.4    0.2    0
======== ====== ====== ====== ====== ====== ======

(A: weights 0.5/0.5, values x 0/0.5/1, y 0/1; B: weights 0.8/0.2, values x 1/0.5/0, y 1/0.)
With walk-away points r_A = 0.4 and r_B = 0.3 the acceptable packages are (a0, b1), gains
(0.1, 0.5), Nash product 0.05, and (a1, b1), gains (0.35, 0.1), product 0.035: (a0, b1) is the
Nash package and, with ideal points (0.75, 0.8), the Kalai–Smorodinsky one too (min normalised
gain 0.286 against 0.2). The margin is max(min(0.1, 0.5), min(0.35, 0.1)) = 0.1.

The record: A proposes (a2, b1) on 2020-01-10; B rejects it on 2020-01-12; B proposes (a0, b0)
on 2020-02-01. Dates before an outcome of 2020-03-01: 2020-01-10, 2020-01-12, 2020-02-01.
"""

from __future__ import annotations

TEMPLATE = """\
zopa: 1
id: {id}
title: A synthetic negotiation
as_of: 2021-06-01
sources:
  early: {{publisher: Press, title: Before the talks, date: 2019-12-01}}
  late: {{publisher: Memoirs, title: After the talks, date: 2021-01-01}}
  undated: {{publisher: Archive, title: A note}}
  signed: {{publisher: Gov, title: The agreement, date: 2020-03-01}}
parties:
  A: {{name: Aland, role: belligerent}}
  B: {{name: Bland, role: belligerent}}
issues:
  x:
    name: Border
    options: {{a0: West, a1: Middle, a2: East}}
  y:
    name: Army
    options: {{b0: Small, b1: Large}}
preferences:
  A:
    weights: {{x: 0.5, y: 0.5}}
    values:
      x: {{a0: 0, a1: 0.5, a2: 1}}
      y: {{b0: 0, b1: 1}}
    reservation: {r_a}
    basis: "Assumption [early]."
  B:
    weights: {{x: 0.8, y: 0.2}}
    values:
      x: {{a0: 1, a1: 0.5, a2: 0}}
      y: {{b0: 1, b1: 0}}
    reservation: {r_b}
    basis:
      general: "Assumption [early]."
      reservation: "Assumption, from the memoir [late]."
proposals:
  east:
    title: A's opening
    by: A
    date: 2020-01-10
    source: early
    terms: {{x: a2, y: b1}}
  west:
    title: B's opening
    by: B
    date: 2020-02-01
    source: early
    terms: {{x: a0, y: b0}}
reactions:
  - {{date: 2020-01-12, party: B, proposal: east, stance: rejects, source: early}}
outcome:
{outcome}
"""

AGREED = """\
  status: agreed
  date: 2020-03-01
  text: The sides sign.
  source: signed
  package:
    x: {option: a1, source: signed}
    y: {option: b1, source: signed}
  interim:
    - status: rejected
      date: 2020-01-20
      text: A first deal fails.
      source: early
      package: {x: {option: a2, source: early}, y: {option: b1, source: early}}
"""

BROKE_DOWN = """\
  status: broke-down
  date: 2020-03-01
  text: The talks end.
  source: signed
"""

R_A = "{mode: 0.4, low: 0.3, high: 0.5}"
R_B = "{mode: 0.3, low: 0.2, high: 0.5}"


def scenario_text(
    outcome: str = AGREED, *, r_a: str = R_A, r_b: str = R_B, sid: str = "synthetic"
) -> str:
    """The scenario's text with an outcome section and walk-away points as given."""
    return TEMPLATE.format(id=sid, r_a=r_a, r_b=r_b, outcome=outcome.rstrip("\n"))
