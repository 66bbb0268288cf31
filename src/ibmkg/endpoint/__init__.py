"""Publishing to real SPARQL servers: credentials, staging, verification and rollback.

>>> from ibmkg.endpoint import role_graph
>>> role_graph("https://example.org/ibmkg", "mappings")
'https://example.org/ibmkg/mappings'
"""

from ibmkg.endpoint.credentials import Credentials, check_target, resolve_credentials
from ibmkg.endpoint.digest import Fingerprint, fingerprint, skolemise
from ibmkg.endpoint.publish import (
    GraphChange,
    GraphPlan,
    LiveVersion,
    MirrorCheck,
    Publisher,
    PublishSummary,
    RoleGraph,
    plan_graphs,
    role_graph,
)

__all__ = [
    "Credentials",
    "Fingerprint",
    "GraphChange",
    "GraphPlan",
    "LiveVersion",
    "MirrorCheck",
    "PublishSummary",
    "Publisher",
    "RoleGraph",
    "check_target",
    "fingerprint",
    "plan_graphs",
    "resolve_credentials",
    "role_graph",
    "skolemise",
]
