"""Make a bcrypt hash for an editor account: python -m lutonwb.tracker.hash_password [username].

Prompts for the password twice (nothing is echoed or stored) and prints a TOML entry to paste
into .streamlit/secrets.toml or the file named by LUTONWB_EDITORS_FILE. With --stdin, reads the
password from the first line of standard input (for scripts).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from lutonwb.tracker.auth import EditorConfigError, editor_entry, hash_password


def main(argv: list[str] | None = None) -> int:
    """Print a [editors.<username>] entry with a fresh salted hash."""
    ap = argparse.ArgumentParser(
        prog="python -m lutonwb.tracker.hash_password", description=__doc__.split("\n")[0]
    )
    ap.add_argument(
        "username", nargs="?", default="editor", help="the account name (default: editor)"
    )
    ap.add_argument("--name", default="", help="the name shown beside updates")
    ap.add_argument("--stdin", action="store_true", help="read the password from standard input")
    args = ap.parse_args(argv)
    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("The two passwords differ; nothing written.", file=sys.stderr)
            return 1
    if len(password) < 12:
        print("Use at least 12 characters.", file=sys.stderr)
        return 1
    try:
        print(editor_entry(args.username, args.name, hash_password(password)), end="")
    except EditorConfigError as exc:
        print(f"Not a usable username: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
