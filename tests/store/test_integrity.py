"""check() finds tampering; concurrent saves on one parent: exactly one wins."""

from __future__ import annotations

import threading
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from zopa.store.errors import ConflictError
from zopa.store.store import Store

TITLE = "title: Small test scenario"


def test_check_is_empty_on_a_sound_store_and_finds_tampering(db_url: str, small_text: str) -> None:
    with Store.open(db_url) as store:
        store.save(small_text)
        store.save(small_text.replace(TITLE, "title: Two"))
        assert store.check() == []
        engine = create_engine(db_url)
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE versions SET text = :t WHERE number = 2"),
                {"t": small_text.replace(TITLE, "title: Tampered")},
            )
            conn.execute(text("UPDATE runs SET status = 'odd'"))
        engine.dispose()
        problems = store.check()
    assert len(problems) == 1
    assert problems[0].startswith("small@2: the stored text does not match its hash")


def test_check_finds_a_broken_chain(db_url: str, small_text: str) -> None:
    with Store.open(db_url) as store:
        for i in range(3):
            store.save(small_text.replace(TITLE, f"title: T{i}"))
        engine = create_engine(db_url)
        with engine.begin() as conn:
            conn.execute(text("UPDATE versions SET parent_id = NULL WHERE number = 3"))
        engine.dispose()
        assert store.check() == ["small@3: its parent is not small@2"]


def test_two_saves_on_one_parent_exactly_one_wins(db_url: str, small_text: str) -> None:
    with Store.open(db_url) as store:
        store.save(small_text)
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def edit(i: int) -> None:
        with Store.open(db_url) as mine:
            barrier.wait()
            try:
                outcomes[i] = mine.save(
                    small_text.replace(TITLE, f"title: Edit {i}"), parent=1, author=f"a{i}"
                )
            except ConflictError as exc:
                outcomes[i] = exc

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conflicts = [o for o in outcomes if isinstance(o, ConflictError)]
    assert len(conflicts) == 1, outcomes
    error = conflicts[0]
    assert error.existing.ref == "small@2"
    assert "small@2 was saved on small@1 meanwhile" in str(error)
    with Store.open(db_url) as store:
        assert [v.number for v in store.versions("small")] == [1, 2]
        assert store.check() == []


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(
        st.tuples(
            st.text(alphabet="abcdefghij XYZ", min_size=1, max_size=12).map(str.strip),
            st.sampled_from(["\n", "\r\n"]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_sequence_of_saves_numbers_contiguously_and_round_trips(
    db_url: str, small_text: str, edits: list[tuple[str, str]]
) -> None:
    with Store.open(db_url) as store:
        sid = f"p{uuid.uuid4().hex[:12]}"
        expected: list[str] = []
        last_sha: str | None = None
        for title, newline in edits:
            body = small_text.replace(TITLE, f"title: T{title}").replace("\n", newline)
            saved = store.save(body, scenario_id=sid)
            if saved.unchanged:
                assert saved.version.sha256 == last_sha
                continue
            expected.append(body)
            last_sha = saved.version.sha256
        versions = store.versions(sid)
        assert [v.number for v in versions] == list(range(1, len(expected) + 1))
        assert [v.parent for v in versions] == [None, *range(1, len(expected))]
        for number, body in enumerate(expected, 1):
            assert store.version(sid, number).text == body
