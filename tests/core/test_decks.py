"""Decks: `Deck`, `DeckField`, `enable_deck=`/`deck_fields=`, the page a local run writes, and the entrypoint's file."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Annotated

import pytest

from flytelite.core.context_manager import ExecutionParameters, FlyteContextManager, current_context
from flytelite.core.task import task
from flytelite.core.utils import timeit
from flytelite.deck import (
    ArrowRenderer,
    Deck,
    DeckField,
    MarkdownRenderer,
    PythonDependencyRenderer,
    SourceCodeRenderer,
    TimeLineDeck,
    TopFrameRenderer,
    render_deck_html,
)
from tests.entrypoint.conftest import Pod, int_lit


def _written_deck(caplog: pytest.LogCaptureFixture) -> str:
    paths = re.findall(r"creates flyte deck html to file://(\S+)", caplog.text)
    assert paths, "no deck path was logged"
    return Path(paths[-1]).read_text(encoding="utf-8")


def _tabs(page: str) -> list[str]:
    return re.findall(r"<li>(.*?)</li>", page)


def test_local_run_writes_every_deck_and_logs_its_path(caplog: pytest.LogCaptureFixture) -> None:
    @task(enable_deck=True)
    def t(a: int, note: Annotated[str, MarkdownRenderer()]) -> int:
        Deck("mine", "<b>custom</b>")
        current_context().default_deck.append("<i>first</i>")
        current_context().default_deck.append("<i>second</i>")
        return a + 1

    with caplog.at_level(logging.INFO, logger="flytelite"):
        assert t(a=1, note="# <title>") == 2
    page = _written_deck(caplog)
    assert _tabs(page) == ["Timeline", "mine", "default", "Source Code", "Dependencies", "Input", "Output"]
    assert "<b>custom</b>" in page and "<i>first</i>" in page and "<i>second</i>" in page
    assert "# &lt;title&gt;" in page  # the Annotated renderer escapes the markdown input
    assert "def t(a: int" in page  # source code deck
    assert "Execute user level code" in page  # timeline


def test_deck_fields_choose_the_builtin_decks(caplog: pytest.LogCaptureFixture) -> None:
    @task(enable_deck=True, deck_fields=(DeckField.OUTPUT,))
    def t(a: int) -> str:
        return f"<{a}>"

    with caplog.at_level(logging.INFO, logger="flytelite"):
        t(a=3)
    page = _written_deck(caplog)
    assert _tabs(page) == ["Output"]
    assert "&lt;3&gt;" in page


def test_decks_are_off_by_default(caplog: pytest.LogCaptureFixture) -> None:
    @task
    def t(a: int) -> int:
        Deck("x", "y")
        return a

    with caplog.at_level(logging.INFO, logger="flytelite"):
        t(a=1)
    assert "deck html" not in caplog.text
    assert t.enable_deck is False and t.deck_fields == [] and t.metadata.generates_deck is False


def test_enabled_deck_sets_generates_deck() -> None:
    @task(enable_deck=True)
    def t(a: int) -> int:
        return a

    assert t.metadata.generates_deck is True
    assert t.metadata.to_taskmetadata_model().generates_deck.value is True
    assert t.deck_fields == [
        DeckField.SOURCE_CODE,
        DeckField.DEPENDENCIES,
        DeckField.TIMELINE,
        DeckField.INPUT,
        DeckField.OUTPUT,
    ]


def test_invalid_deck_options_are_rejected() -> None:
    with pytest.raises(ValueError, match="not a valid deck field"):

        @task(enable_deck=True, deck_fields=("nope",))
        def t(a: int) -> int:
            return a

    with pytest.raises(ValueError, match="only one of"):

        @task(enable_deck=True, disable_deck=False)
        def u(a: int) -> int:
            return a


def test_default_deck_is_reused_and_added_once() -> None:
    params = ExecutionParameters.new_local("/tmp")
    ctx = FlyteContextManager.current_context()
    es = ctx.new_execution_state().with_params(user_space_params=params)
    with FlyteContextManager.with_context(ctx.with_execution_state(es)):
        first = params.default_deck
        assert params.default_deck is first
        assert [d.name for d in params.decks] == ["default"]
        timeline = params.timeline_deck
        assert isinstance(timeline, TimeLineDeck) and params.timeline_deck is timeline
        assert timeline not in params.decks


def test_publish_writes_only_when_decks_are_on(caplog: pytest.LogCaptureFixture) -> None:
    published: list[str | None] = []

    @task(enable_deck=True, deck_fields=())
    def on(a: int) -> int:
        Deck("early", "<p>now</p>")
        published.append(Deck.publish())
        return a

    @task
    def off(a: int) -> int:
        published.append(Deck.publish())
        return a

    on(a=1)
    with caplog.at_level(logging.WARNING, logger="flytelite"):
        off(a=1)
    assert published[0] is not None and "<p>now</p>" in Path(published[0]).read_text(encoding="utf-8")
    assert published[1] is None and "enable_deck is False" in caplog.text


def test_render_page_escapes_names_and_keeps_the_last_deck_of_a_name() -> None:
    params = ExecutionParameters.new_local("/tmp")
    params.decks.extend([Deck("<a>", "one", auto_add_to_deck=False), Deck("<a>", "two", auto_add_to_deck=False)])
    page = render_deck_html(params)
    assert _tabs(page) == ["&lt;a&gt;"]
    assert "two" in page and "one" not in page.split("<main>")[1]


def test_deck_append_takes_strings_only() -> None:
    d = Deck("x", "a", auto_add_to_deck=False)
    assert d.append("b").html == "a\nb"
    with pytest.raises(TypeError):
        d.append(3)  # type: ignore[arg-type]  # the wrong type is the point


def test_renderers_escape_and_stay_dependency_free() -> None:
    assert MarkdownRenderer().to_html("<b>") == '<pre class="markdown">&lt;b&gt;</pre>'
    assert "&lt;x&gt;" in SourceCodeRenderer().to_html("<x>")
    deps = PythonDependencyRenderer().to_html()
    assert "<td>pytest</td>" in deps and "pytest==" in deps
    with pytest.raises(TypeError):
        TopFrameRenderer().to_html(1)
    with pytest.raises(TypeError):
        ArrowRenderer().to_html(1)

    class Frame:
        def to_html(self, max_rows: int, max_cols: int) -> str:
            return f"rows={max_rows} cols={max_cols}"

    assert TopFrameRenderer(3, 4).to_html(Frame()) == "rows=3 cols=4"


def test_timeit_records_into_the_timeline_only_with_decks_on() -> None:
    recorded: list[int] = []

    @task(enable_deck=True, deck_fields=("Timeline",))
    def on(a: int) -> int:
        with timeit("inner"):
            pass
        recorded.append(len(current_context().timeline_deck.time_info))
        return a

    @timeit("decorated")
    def helper() -> int:
        return 5

    on(a=1)
    assert recorded == [1]
    assert helper() == 5  # outside a deck-enabled task nothing is recorded and nothing fails


def test_entrypoint_uploads_deck_html(tmp_path: Path) -> None:
    pod = Pod(tmp_path)
    pod.write_inputs(a=int_lit(4))
    proc = pod.run("flytelite-execute", ["task-module", "tests.core.deck_tasks", "task-name", "with_deck"])
    assert proc.returncode == 0, proc.stderr
    assert pod.files() == ["deck.html", "outputs.pb"]
    page = (pod.out / "deck.html").read_text(encoding="utf-8")
    assert _tabs(page) == ["report", "default", "Input", "Output"]
    assert "<b>a is 4</b>" in page and "<i>done</i>" in page

    pod2 = Pod(tmp_path / "second")
    pod2.inputs.parent.mkdir()
    pod2.write_inputs(a=int_lit(4))
    proc = pod2.run("flytelite-execute", ["task-module", "tests.core.deck_tasks", "task-name", "without_deck"])
    assert proc.returncode == 0, proc.stderr
    assert pod2.files() == ["outputs.pb"]
