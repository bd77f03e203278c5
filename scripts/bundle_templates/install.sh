#!/bin/sh
# guide-wizard @VERSION@: install from this folder, without any network access.
# Usage: sh install.sh [TARGET]   (default TARGET: $HOME/guide-wizard)
# The interpreter is $PYTHON, else python@PY_VERSION@, else python3.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
TARGET=${1:-"$HOME/guide-wizard"}
if [ -z "${PYTHON:-}" ]; then
    if command -v python@PY_VERSION@ >/dev/null 2>&1; then PYTHON=python@PY_VERSION@; else PYTHON=python3; fi
fi

# The bundle's compiled wheels (pydantic-core) fit one Python version only.
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (@PY_MAJOR@, @PY_MINOR@))' 2>/dev/null; then
    echo "本安装包需要 Python @PY_VERSION@（$PYTHON 不是）：请设置 PYTHON=/path/to/python@PY_VERSION@ 后重试。" >&2
    echo "This bundle needs Python @PY_VERSION@ ($PYTHON is not): set PYTHON=/path/to/python@PY_VERSION@ and retry." >&2
    exit 1
fi

"$PYTHON" -m venv "$TARGET"
"$TARGET/bin/python" -m pip install --no-index --find-links "$HERE" --upgrade guide-wizard

echo "已安装 / installed: $TARGET/bin/wizard"
echo "运行 / run:         $TARGET/bin/wizard"
