#!/usr/bin/env python3
"""A config's run keys for the scripts: prints "NAME TASK GENERATIONS" (hebes's defaults hebes, ant,
300 where the config leaves them out), or exits 1 naming the file when it is not a JSON object.

    /usr/bin/python3 tools/run_keys.py WHO CONFIG      (WHO prefixes the message: seeds.sh, experiment, ...)
"""
import json
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: run_keys.py WHO CONFIG")
    who, path = sys.argv[1:]
    try:
        with open(path) as f:
            c = json.load(f)
        if not isinstance(c, dict):
            raise ValueError("not a JSON object")
    except OSError as e:
        sys.exit(f"{who}: {path}: cannot read the config: {e.strerror}")
    except (ValueError, UnicodeDecodeError) as e:
        sys.exit(f"{who}: {path}: not a JSON config: {e}")
    r = c.get("run", {}) if isinstance(c.get("run", {}), dict) else {}
    print(r.get("name", "hebes"), r.get("task", "ant"), r.get("generations", 300))


if __name__ == "__main__":
    main()
