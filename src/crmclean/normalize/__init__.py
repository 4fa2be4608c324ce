"""The normalize stage: pure functions that standardize one field value each.

Every normalizer has one shape, ``normalize_x(value, **options) -> result``, where the result
is a frozen attrs object with ``.original`` (the value as given), ``.value`` (the standardized
value), ``.valid`` and ``.issues`` (issue codes, see :data:`crmclean.ISSUE_CODES`). A data value
never raises; a wrong option raises :class:`crmclean.ConfigError` or ``TypeError``.
:func:`normalize_many` applies any of them to a whole column.
"""

from __future__ import annotations

from pathlib import Path

from crmclean.normalize import _loader

# Before any module of the package loads: where a compiled build is present, decide which
# modules must load from source instead (CRMCLEAN_PURE_PYTHON, or a source edited since).
_loader.install(__name__, Path(__file__).parent)

from crmclean.normalize import (  # noqa: E402
    _base,
    _batch,
    _phonefast,
    addresses,
    companies,
    dates,
    emails,
    names,
    phones,
    text,
    titles,
)
from crmclean.normalize._batch import normalize_many  # noqa: E402
from crmclean.normalize.addresses import *  # noqa: E402, F403
from crmclean.normalize.companies import *  # noqa: E402, F403
from crmclean.normalize.dates import *  # noqa: E402, F403
from crmclean.normalize.emails import *  # noqa: E402, F403
from crmclean.normalize.names import *  # noqa: E402, F403
from crmclean.normalize.phones import *  # noqa: E402, F403
from crmclean.normalize.text import *  # noqa: E402, F403
from crmclean.normalize.titles import *  # noqa: E402, F403

#: Names of the normalizer modules running compiled (empty for a pure-Python install).
COMPILED: tuple[str, ...] = _loader.compiled_modules(
    [_base, _batch, _phonefast, addresses, companies, dates, emails, names, phones, text, titles]
)

__all__ = ["normalize_many"]
__all__ += text.__all__
__all__ += phones.__all__
__all__ += emails.__all__
__all__ += names.__all__
__all__ += titles.__all__
__all__ += companies.__all__
__all__ += addresses.__all__
__all__ += dates.__all__
