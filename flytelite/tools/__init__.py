"""Registration tooling: the translator (entities to flyteidl protobufs) and the package archive."""

__all__: list[str] = []
