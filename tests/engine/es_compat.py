"""Test only: lets the official Elasticsearch client talk to OpenSearch.

The Elasticsearch path (ELASTICSEARCH_URL, modelsearch's elasticsearch9 backend) is tested
against the OpenSearch node of tests/engine, not against Elasticsearch itself. Two things of the
client stand in the way, and this transport node removes them, nothing else:

- it sends `application/vnd.elasticsearch+json; compatible-with=9` as Accept and Content-Type,
  which OpenSearch refuses with 406: sent here as plain `application/json` (x-ndjson for bulk);
- it refuses a 2xx answer without `X-Elastic-Product: Elasticsearch`: added to the answer.

Relies on elastic-transport's Urllib3HttpNode (pinned in pyproject.toml).
"""

from __future__ import annotations

import re
from dataclasses import replace

from elastic_transport import HttpHeaders, Urllib3HttpNode

_COMPAT = re.compile(r"application/vnd\.elasticsearch\+([a-z-]+)(\s*;\s*compatible-with=\d+)?")


class OpenSearchCompatNode(Urllib3HttpNode):
    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        plain = HttpHeaders(headers or {})
        for name in ("accept", "content-type"):
            if name in plain:
                plain[name] = _COMPAT.sub(r"application/\1", plain[name])
        response = super().perform_request(method, target, body=body, headers=plain, **kwargs)
        answer = HttpHeaders(response.meta.headers)
        answer["x-elastic-product"] = "Elasticsearch"
        return response._replace(meta=replace(response.meta, headers=answer))
