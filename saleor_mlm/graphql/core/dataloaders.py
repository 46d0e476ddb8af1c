"""Batching loaders for a synchronous executor, without promises.

graphql-core runs a list's items one after another, depth first: when the first
partner's `sponsor` is resolved, the second partner has not been visited yet, so a
loader cannot wait for the other keys to arrive. Instead, objects fetched together are
marked as *peers* (`set_peers`; the connection helpers do it for every page). A loader
asked for the key of one object loads the keys of all its peers in one query and keeps
the results for the rest of the request; what it loads becomes peers in turn, so
`sponsor { sponsor { ... } }` costs one query per level. The number of queries of a
request follows from the shape of the query, never from page sizes.

A loader is named `<Result>By<Key>Loader` and implements `batch_load(keys) -> {key: value}`;
missing keys get `missing(key)` (None unless overridden). There is one loader per class
and arguments per request: `PartnerByIdLoader(info.context)`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

from django.db import models

_PEERS_ATTR = "_mlm_peers"


def set_peers(objects: Iterable[Any]) -> list:
    """Mark objects fetched together as peers of each other; return them as a list."""
    objects = list(objects)
    for obj in objects:
        if isinstance(obj, models.Model):
            setattr(obj, _PEERS_ATTR, objects)
    return objects


def peers_of(obj) -> list:
    return getattr(obj, _PEERS_ATTR, None) or [obj]


class DataLoader:
    def __new__(cls, context, *args: Hashable):
        registry_key = (cls, args)
        loader = context.loaders.get(registry_key)
        if loader is None:
            loader = super().__new__(cls)
            loader.context = context
            loader.args = args
            loader._cache = {}
            context.loaders[registry_key] = loader
        return loader

    # --- methods subclasses implement ---------------------------------------------------

    def batch_load(self, keys: list) -> Mapping:
        raise NotImplementedError

    def missing(self, key):
        return None

    # --- loading ----------------------------------------------------------------------

    def load(self, key, peer_keys: Iterable = ()):
        """The value for `key`; loads `peer_keys` not yet known in the same batch."""
        if key is None:
            return self.missing(key)
        if key not in self._cache:
            keys = {key, *(k for k in peer_keys if k is not None and k not in self._cache)}
            results = self.batch_load(list(keys))
            loaded = []
            for k in keys:
                value = results.get(k, None)
                if value is None:
                    value = self.missing(k)
                self._cache[k] = value
                loaded.extend(value if isinstance(value, list) else [value])
            set_peers(obj for obj in loaded if obj is not None)
        return self._cache[key]

    def load_for(self, root, key_of: Callable[[Any], Hashable]):
        """The value for `key_of(root)`, batched with the keys of root's peers."""
        return self.load(key_of(root), (key_of(peer) for peer in peers_of(root)))

    def prime(self, key, value) -> None:
        self._cache.setdefault(key, value)
