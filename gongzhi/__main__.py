"""The ``gongzhi`` console script: every management command goes through it.

    gongzhi migrate            gongzhi seed --profile junmen
    gongzhi serve --port 8000  gongzhi import residents FILE
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "gongzhi"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
