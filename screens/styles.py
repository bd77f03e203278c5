"""How the screens mark a problem's severity (one style and one icon per severity) and a
section that is done.

Styles are the UI's business (the core says `error`/`warning`/`info`; the words are in
wizard.catalogue as `severity.*`), so they live here, below every screen and widget.
"""

from __future__ import annotations

SEV_STYLE: dict[str, str] = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
SEV_ICON: dict[str, str] = {"error": "✗", "warning": "!", "info": "i"}
# A section (or the review's line for it) that is complete, and one that is not.
DONE_ICON = "✓"
UNDONE_ICON = SEV_ICON["error"]
