"""The shared cache: Django's own Redis backend, minus one hazard.

Django's ``RedisCache.clear()`` runs FLUSHDB, which empties the whole Redis
database, including keys of another site or another test suite that shares
the server. Here ``clear()`` removes only the keys under this cache's
``KEY_PREFIX``.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

_BATCH = 1000


class RedisCache(DjangoRedisCache):
    def clear(self):
        client = self._cache.get_client(None, write=True)
        # Keys look like "<prefix>:<version>:<key>" (Django's default key function).
        pattern = f"{self.key_prefix}:*"
        batch = []
        removed = 0
        for key in client.scan_iter(match=pattern, count=_BATCH):
            batch.append(key)
            if len(batch) >= _BATCH:
                removed += client.unlink(*batch)
                batch = []
        if batch:
            removed += client.unlink(*batch)
        return removed > 0
