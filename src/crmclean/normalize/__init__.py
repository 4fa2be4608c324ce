"""The normalize stage: pure functions that standardize one field value each.

Every normalizer has one shape, ``normalize_x(value, **options) -> result``, where the result
is a frozen attrs object with ``.original`` (the value as given), ``.value`` (the standardized
value), ``.valid`` and ``.issues`` (issue codes, see :data:`crmclean.ISSUE_CODES`). A data value
never raises; a wrong option raises :class:`crmclean.ConfigError` or ``TypeError``.
:func:`normalize_many` applies any of them to a whole column.
"""

from __future__ import annotations

from crmclean.normalize import addresses, companies, emails, names, phones, text, titles
from crmclean.normalize._batch import normalize_many
from crmclean.normalize.addresses import *  # noqa: F403
from crmclean.normalize.companies import *  # noqa: F403
from crmclean.normalize.emails import *  # noqa: F403
from crmclean.normalize.names import *  # noqa: F403
from crmclean.normalize.phones import *  # noqa: F403
from crmclean.normalize.text import *  # noqa: F403
from crmclean.normalize.titles import *  # noqa: F403

__all__ = ["normalize_many"]
__all__ += text.__all__
__all__ += phones.__all__
__all__ += emails.__all__
__all__ += names.__all__
__all__ += titles.__all__
__all__ += companies.__all__
__all__ += addresses.__all__
