"""Reading stored events faster: the library's JSON format, parsed by orjson instead of `json`."""

from __future__ import annotations

from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder

BEYOND_64_BITS = 2.0**63  # orjson reads integers it can't hold in 64 bits as floats at least this big


class _OrjsonCannotReadError(ValueError):
    pass


class OrjsonDecodingTranscoder(JSONTranscoder):
    """The library's JSONTranscoder, writing exactly as it does and reading the same values back.

    Rebuilding a view decodes every stored event, and the stdlib parser calling an object hook for each
    dict was most of that time. orjson parses without a hook; the `{"_type_", "_data_"}` dicts are then
    revived bottom-up with the library's transcodings, as `json` would have called its hook. What orjson
    can't read as `json` does (NaN, integers beyond 64 bits, lone surrogates) the library reads.
    """

    def decode(self, data: bytes) -> Any:
        try:
            return self._revive(orjson.loads(data))
        except (orjson.JSONDecodeError, _OrjsonCannotReadError):
            return super().decode(data)

    def _revive(self, value: Any) -> Any:
        if type(value) is list:
            return [self._revive(item) for item in value]
        if type(value) is float and not -BEYOND_64_BITS < value < BEYOND_64_BITS:
            raise _OrjsonCannotReadError(value)  # maybe an integer orjson rounded
        if type(value) is not dict:
            return value
        for key, item in value.items():
            if type(item) is dict or type(item) is list or type(item) is float:
                value[key] = self._revive(item)
        if len(value) != 2 or "_type_" not in value or "_data_" not in value:
            return value
        transcoding = self.names.get(value["_type_"])
        if transcoding is None:
            return self._decode_obj(value)  # the library's error, naming the type
        return transcoding.decode(value["_data_"])
