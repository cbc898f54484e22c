"""`Documentation`, `Description`, `SourceCode`: what `@task(docs=...)` / `@workflow(docs=...)` take.

flytekit's `flytekit.models.documentation` classes (mutable dataclasses, like flytekit's, because a task fills its
docstring into them). `to_flyte_idl()` gives the `flyteidl.admin` `DescriptionEntity`; the admin protos are
imported only then (DESIGN.md §8: they load when something is serialized).
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

__all__ = ["Description", "Documentation", "SourceCode"]


@dataclasses.dataclass
class Description:
    """A long description with its format (rendered by the console), inline (`value`) or by `uri`."""

    class DescriptionFormat(enum.Enum):
        """How `value` is formatted (flyteidl's `DescriptionFormat` numbers)."""

        UNKNOWN = 0
        MARKDOWN = 1
        HTML = 2
        RST = 3

    value: str | None = None
    uri: str | None = None
    icon_link: str | None = None
    format: DescriptionFormat = DescriptionFormat.RST

    def to_flyte_idl(self) -> Any:
        """Return the `flyteidl.admin.description_entity_pb2.Description`."""
        from flyteidl.admin import description_entity_pb2 as pb  # admin protos: only when serializing

        msg = pb.Description(format=self.format.value, icon_link=self.icon_link or "")
        if self.value:
            msg.value = self.value
        elif self.uri:
            msg.uri = self.uri
        return msg

    @classmethod
    def from_flyte_idl(cls, pb2_object: Any) -> Description:
        """Read a `Description` message."""
        return cls(
            value=pb2_object.value or None,
            uri=pb2_object.uri or None,
            icon_link=pb2_object.icon_link or None,
            format=Description.DescriptionFormat(pb2_object.format),
        )


@dataclasses.dataclass
class SourceCode:
    """A link to the code that defines the entity."""

    link: str | None = None

    def to_flyte_idl(self) -> Any:
        """Return the `flyteidl.admin.description_entity_pb2.SourceCode`."""
        from flyteidl.admin import description_entity_pb2 as pb  # admin protos: only when serializing

        return pb.SourceCode(link=self.link or "")

    @classmethod
    def from_flyte_idl(cls, pb2_object: Any) -> SourceCode | None:
        """Read a `SourceCode` message (None when it has no link)."""
        return cls(link=pb2_object.link) if pb2_object.link else None


@dataclasses.dataclass
class Documentation:
    """A one-line summary, a long description and a source link of a task, workflow or launch plan."""

    short_description: str | None = None
    long_description: Description | None = None
    source_code: SourceCode | None = None

    def to_flyte_idl(self) -> Any:
        """Return the `flyteidl.admin.description_entity_pb2.DescriptionEntity`."""
        from flyteidl.admin import description_entity_pb2 as pb  # admin protos: only when serializing

        msg = pb.DescriptionEntity(short_description=self.short_description or "")
        if self.long_description is not None:
            msg.long_description.CopyFrom(self.long_description.to_flyte_idl())
        if self.source_code is not None:
            msg.source_code.CopyFrom(self.source_code.to_flyte_idl())
        return msg

    @classmethod
    def from_flyte_idl(cls, pb2_object: Any) -> Documentation:
        """Read a `DescriptionEntity` message."""
        return cls(
            short_description=pb2_object.short_description or None,
            long_description=Description.from_flyte_idl(pb2_object.long_description)
            if pb2_object.HasField("long_description")
            else None,
            source_code=SourceCode.from_flyte_idl(pb2_object.source_code)
            if pb2_object.HasField("source_code")
            else None,
        )
