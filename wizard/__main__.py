"""`python -m wizard`: the same program as the `wizard` command.

The program is the core's command line with the terminal wizard plugged in, wired in the UI
package (`screens/launcher.py`). This module is that wiring's entry for `python -m`, not a part
of the core: nothing in `wizard/` imports it, and it is the one import of `screens` that the
import-linter contracts allow (pyproject.toml, [tool.importlinter]).
"""

from screens.launcher import main

raise SystemExit(main())
