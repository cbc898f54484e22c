"""Sub-workflows, a launch plan, a conditional and ordering-only dependencies, for `flytelite graph` and `run`.

flytelite run examples/branching.py decide --x 4
flytelite run examples/branching.py decide --x -3
flytelite run examples/branching.py scale_by_5 --x 2
flytelite graph examples/branching.py decide --format dot
"""

from __future__ import annotations

from flytelite import LaunchPlan, conditional, task, workflow


@task
def double(x: int) -> int:
    """Multiply by two."""
    return 2 * x


@task
def negate(x: int) -> int:
    """Flip the sign."""
    return -x


@task
def announce() -> None:
    """Print a line (a node that produces no data; others run after it by order only)."""
    print("starting")


@workflow
def square_sub(x: int) -> int:
    """A sub-workflow: x doubled, then doubled again."""
    return double(x=double(x=x))


@workflow
def decide(x: int) -> int:
    """Double x, then take the sub-workflow for a positive result and negate a negative one; zero fails.

    Args:
        x: any non-zero integer.
    """
    start = announce()
    y = double(x=x)
    start >> y
    return conditional("sign").if_(y > 0).then(square_sub(x=y)).elif_(y < 0).then(negate(x=y)).else_().fail("x is 0")


@task
def times(x: int, factor: int) -> int:
    """Multiply two numbers."""
    return x * factor


@workflow
def scale(x: int, factor: int = 3) -> int:
    """Double x, then multiply by a factor (3 unless given)."""
    return times(x=double(x=x), factor=factor)


scale_by_5 = LaunchPlan.get_or_create(scale, name="scale_by_5", fixed_inputs={"factor": 5})
