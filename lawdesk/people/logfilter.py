"""No personal data in logs: kept for its old name. The filter on every handler is now
``lawdesk.core.logfilter.RedactFilter``, which masks ID numbers and phone numbers as this module did and also
hides secrets (rating-link tokens, bearer tokens, one-time codes, query strings)."""

from __future__ import annotations

from lawdesk.core.logfilter import RedactFilter as MaskPersonalDataFilter
from lawdesk.core.logfilter import mask_personal_data as mask_text

__all__ = ["MaskPersonalDataFilter", "mask_text"]
