"""A small text-analysis pipeline: an instance task, function tasks, a cached map task and a dataframe.

Run it (no server, no configuration):

    flytelite run examples/pipeline.py pipeline
    flytelite run --engine threads examples/pipeline.py pipeline --text "Flyte runs tasks; flytelite runs them too"
    flytelite graph examples/pipeline.py pipeline --format mermaid
"""

from __future__ import annotations

import dataclasses
import typing

import pandas as pd

from flytelite import PythonInstanceTask, kwtypes, map_task, task, workflow
from flytelite.core.interface import Interface

SAMPLE = "The quick brown fox jumps over the lazy dog and the dog sleeps in the warm afternoon sun"


@dataclasses.dataclass
class FilterConfig:
    """How `KeywordFilter` chooses keywords: a minimum length and words to drop."""

    min_length: int = 4
    stopwords: list[str] = dataclasses.field(default_factory=lambda: ["the", "and", "over", "with"])


class KeywordFilter(PythonInstanceTask[FilterConfig]):
    """A reusable kind of task: its configuration is fixed when an instance is created, not passed at run time."""

    def __init__(self, name: str, config: FilterConfig, **kwargs: typing.Any) -> None:
        super().__init__(
            name=name,
            task_config=config,
            interface=Interface(inputs=kwtypes(words=typing.List[str]), outputs=kwtypes(o0=typing.List[str])),
            **kwargs,
        )

    def execute(self, **kwargs: typing.Any) -> typing.List[str]:
        cfg = self.task_config
        return [w for w in kwargs["words"] if len(w) >= cfg.min_length and w not in cfg.stopwords]


keep_keywords = KeywordFilter(name="keep_keywords", config=FilterConfig())


@dataclasses.dataclass
class Report:
    """What the pipeline found."""

    words: int
    keywords: int
    best: str
    best_score: int


@task
def split_words(text: str) -> typing.List[str]:
    """Lower-case the text and split it into words.

    Args:
        text: any text.
    """
    return [w.strip(".,;:!?").lower() for w in text.split() if w.strip(".,;:!?")]


@task(cache=True, cache_version="1")
def score(word: str) -> int:
    """Score one word: its length plus two points per distinct vowel (cached: a word is scored once)."""
    return len(word) + 2 * len(set(word) & set("aeiou"))


@task
def build_report(words: typing.List[str], keywords: typing.List[str], scores: typing.List[int]) -> Report:
    """Pick the best-scoring keyword."""
    best = max(range(len(keywords)), key=lambda i: scores[i]) if keywords else -1
    return Report(
        words=len(words),
        keywords=len(keywords),
        best=keywords[best] if best >= 0 else "",
        best_score=scores[best] if best >= 0 else 0,
    )


@task
def score_table(keywords: typing.List[str], scores: typing.List[int]) -> pd.DataFrame:
    """Return the keywords and their scores as a dataframe, best first."""
    df = pd.DataFrame({"keyword": keywords, "score": scores})
    return df.sort_values(["score", "keyword"], ascending=[False, True]).reset_index(drop=True)


@workflow
def pipeline(text: str = SAMPLE) -> typing.Tuple[Report, pd.DataFrame]:
    """Find and score the keywords of a text.

    Args:
        text: the text to analyse.
    """
    words = split_words(text=text)
    keywords = keep_keywords(words=words)
    scores = map_task(score)(word=keywords)
    return build_report(words=words, keywords=keywords, scores=scores), score_table(keywords=keywords, scores=scores)
