"""Renderers: objects whose `to_html(value) -> str` turns values into deck HTML (`flytekit.deck.renderer`).

flytelite keeps them dependency-free: Markdown and source code are shown as escaped `<pre>` text (no markdown-it,
no pygments), dependencies are read with `importlib.metadata` (no `pip` subprocess), and dataframe renderers call
the dataframe's own `to_html`/`to_string`. Put a renderer in `Annotated[T, renderer]` to render inputs/outputs of
type `T` with it.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from flytelite.core._decks import html_escape

__all__ = [
    "DEFAULT_MAX_COLS",
    "DEFAULT_MAX_ROWS",
    "ArrowRenderer",
    "MarkdownRenderer",
    "PythonDependencyRenderer",
    "Renderable",
    "SourceCodeRenderer",
    "TopFrameRenderer",
    "html_escape",
]

DEFAULT_MAX_ROWS = 10
DEFAULT_MAX_COLS = 100


@runtime_checkable
class Renderable(Protocol):
    """Anything that renders a value as an HTML string."""

    def to_html(self, python_value: Any) -> str:
        """Return the value as HTML."""
        ...


def _pre(text: str, css_class: str) -> str:
    return f'<pre class="{css_class}">{html_escape(text)}</pre>'


class TopFrameRenderer:
    """Render the first rows and columns of a pandas DataFrame as an HTML table."""

    def __init__(self, max_rows: int = DEFAULT_MAX_ROWS, max_cols: int = DEFAULT_MAX_COLS) -> None:
        self._max_rows = max_rows
        self._max_cols = max_cols

    def to_html(self, df: Any) -> str:
        """Return `df.to_html(max_rows=..., max_cols=...)`.

        Raises:
            TypeError: `df` has no `to_html` (not a DataFrame).
        """
        if not hasattr(df, "to_html"):
            raise TypeError(f"TopFrameRenderer renders DataFrames, got {type(df).__name__}")
        return str(df.to_html(max_rows=self._max_rows, max_cols=self._max_cols))


class ArrowRenderer:
    """Render a pyarrow Table as its text form (escaped, in `<pre>`)."""

    def to_html(self, df: Any) -> str:
        """Return the table's `to_string()` as preformatted text.

        Raises:
            TypeError: `df` has no `to_string` (not a Table).
        """
        if not hasattr(df, "to_string"):
            raise TypeError(f"ArrowRenderer renders pyarrow Tables, got {type(df).__name__}")
        return _pre(str(df.to_string()), "arrow")


class MarkdownRenderer:
    """Show Markdown text as escaped preformatted text (flytelite does not convert Markdown to HTML)."""

    def to_html(self, text: str) -> str:
        """Return the text, escaped, in `<pre>`."""
        return _pre(text, "markdown")


class SourceCodeRenderer:
    """Show Python source code as escaped preformatted text (no syntax highlighting)."""

    def __init__(self, title: str = "Source Code") -> None:
        self._title = title

    def to_html(self, source_code: str) -> str:
        """Return the code, escaped, in `<pre><code>`."""
        return f'<pre class="source"><code class="language-python">{html_escape(source_code)}</code></pre>'


class PythonDependencyRenderer:
    """List the installed Python distributions (name and version) as an HTML table."""

    def __init__(self, title: str = "Dependencies") -> None:
        self._title = title

    def to_html(self) -> str:
        """Return a table of installed distributions and a `requirements.txt` block."""
        # importlib.metadata (with the email package it reads metadata with) costs ~15 ms to import: only a task
        # that renders its dependencies pays for it.
        import importlib.metadata

        found: dict[str, str] = {}
        for dist in importlib.metadata.distributions():
            name = dist.metadata["Name"]
            if name:
                found.setdefault(str(name), str(dist.version))
        items = sorted(found.items(), key=lambda kv: kv[0].lower())
        rows = "".join(f"<tr><td>{html_escape(n)}</td><td>{html_escape(v)}</td></tr>" for n, v in items)
        requirements = "\n".join(f"{n}=={v}" for n, v in items)
        return (
            f"<h3>{html_escape(self._title)}</h3>"
            f"<table><tr><th>Name</th><th>Version</th></tr>{rows}</table>"
            f"<details><summary>requirements.txt</summary>{_pre(requirements, 'requirements')}</details>"
        )
