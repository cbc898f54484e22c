"""flytelite: a lean, fast, drop-in Python SDK for Flyte.

Replace `flytekit` with `flytelite` in your imports; literals, IDL and the container contract stay the same.
"""

from flytelite.core.context_manager import FlyteContext, FlyteContextManager

__version__ = "0.1.0"

__all__ = ["FlyteContext", "FlyteContextManager", "__version__"]
