"""flytekit's `flytekit.extend.backend` path: connectors (formerly agents), which run a task type outside a pod.

- `base_connector`: `ConnectorBase`, `SyncConnectorBase`, `AsyncConnectorBase`, `ConnectorRegistry`, `Resource`,
  `ResourceMeta`, `TaskCategory`, and the mixins that run a connector task locally
  (`SyncConnectorExecutorMixin`, `AsyncConnectorExecutorMixin`).
- `base_agent`: the same classes under their former `Agent` names.
- `utils`: phase helpers and `render_task_template`.

flytelite runs connectors in-process for local runs; it has no connector gRPC service.
"""

__all__: list[str] = []
