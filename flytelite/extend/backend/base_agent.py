"""flytekit's `flytekit.extend.backend.base_agent` path: the connector classes under their former `Agent` names."""

from flytelite.extend.backend.base_connector import AsyncConnectorBase as AsyncAgentBase
from flytelite.extend.backend.base_connector import AsyncConnectorExecutorMixin as AsyncAgentExecutorMixin
from flytelite.extend.backend.base_connector import ConnectorBase as AgentBase
from flytelite.extend.backend.base_connector import ConnectorRegistry as AgentRegistry
from flytelite.extend.backend.base_connector import Resource, ResourceMeta, TaskCategory
from flytelite.extend.backend.base_connector import SyncConnectorBase as SyncAgentBase
from flytelite.extend.backend.base_connector import SyncConnectorExecutorMixin as SyncAgentExecutorMixin

__all__ = [
    "AgentBase",
    "AgentRegistry",
    "AsyncAgentBase",
    "AsyncAgentExecutorMixin",
    "Resource",
    "ResourceMeta",
    "SyncAgentBase",
    "SyncAgentExecutorMixin",
    "TaskCategory",
]
