"""Security messages (`flyteidl.core.security_pb2`) at flytekit's `models.security` path."""

from flyteidl.core.security_pb2 import Identity, OAuth2Client, OAuth2TokenRequest, Secret, SecurityContext

__all__ = ["Identity", "OAuth2Client", "OAuth2TokenRequest", "Secret", "SecurityContext"]
