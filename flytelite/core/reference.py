"""flytekit's `flytekit.core.reference` path: `get_reference_entity` (references by resource type)."""

from flytelite.core.reference_entity import get_reference_entity

__all__ = ["get_reference_entity"]
