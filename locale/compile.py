"""Compile the project's catalogues (locale/*/LC_MESSAGES/*.po → .mo); run by `make install`.

With GNU gettext's `msgfmt` on the machine this is Django's `compilemessages`; without it (a
newcomer's laptop) Babel, a pinned dependency, writes the same .mo files.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent
ROOT = LOCALE.parent


def compile_with_django() -> None:
    subprocess.run(
        [sys.executable, "manage.py", "compilemessages", "--verbosity", "0"]
        + [arg for name in (".venv", "var", "node_modules", "tests") for arg in ("--ignore", name)],
        cwd=ROOT,
        check=True,
    )


def compile_with_babel() -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as handle:
            catalogue = read_po(handle, locale=po.parts[-3])
        with po.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalogue)


if __name__ == "__main__":
    if shutil.which("msgfmt") and "--babel" not in sys.argv:
        compile_with_django()
    else:
        compile_with_babel()
