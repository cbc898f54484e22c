"""Show the user's part of a traceback: flytelite's, importlib's, click's and the executors' frames are left out.

Only a failure needs this, so `traceback` (with `textwrap`, ~1.5 ms) is imported by the functions that format one.
"""

from __future__ import annotations

import os
import re
import typing

import flytelite

if typing.TYPE_CHECKING:
    import traceback

__all__ = ["last_user_frame", "user_traceback"]

_PACKAGE_DIR = os.path.dirname(os.path.abspath(flytelite.__file__))
# frames from these places are plumbing, not the user's code
_HIDDEN = (
    _PACKAGE_DIR,
    os.path.join("concurrent", "futures"),
    os.path.join("importlib", "__init__.py"),
    "<frozen importlib",
    f"{os.sep}threading.py",
    f"{os.sep}contextlib.py",
    os.path.join("site-packages", "click"),
    os.path.join("site-packages", "distributed"),
)


def _is_user_frame(filename: str) -> bool:
    return not any(h in filename for h in _HIDDEN)


def user_traceback(exc: BaseException) -> str:
    """Return the traceback of `exc` with flytelite's (and the executors') frames left out.

    A failure in another process (`RemoteTaskError`) carries its traceback as text; it is filtered the same way.
    """
    import traceback  # see the module docstring

    remote = getattr(exc, "trace", None)
    if isinstance(remote, str) and hasattr(exc, "type_name"):
        return _filter_text_traceback(remote)
    frames = _user_frames(exc)
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(frames)] if frames else []
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines)


def last_user_frame(exc: BaseException) -> traceback.FrameSummary | None:
    """Return the innermost frame of `exc`'s traceback that is the user's code (not flytelite, importlib, click)."""
    frames = _user_frames(exc)
    return frames[-1] if frames else None


def _user_frames(exc: BaseException) -> list[traceback.FrameSummary]:
    import traceback  # see the module docstring

    return [f for f in traceback.extract_tb(exc.__traceback__) if _is_user_frame(f.filename)]


def _filter_text_traceback(text: str) -> str:
    out: list[str] = []
    skipping = False
    for line in text.splitlines():
        m = re.match(r'\s*File "([^"]+)", line \d+', line)
        if m:
            skipping = not _is_user_frame(m.group(1))
        elif not line.startswith(" "):
            skipping = False
        if not skipping:
            out.append(line)
    return "\n".join(out) + "\n"
