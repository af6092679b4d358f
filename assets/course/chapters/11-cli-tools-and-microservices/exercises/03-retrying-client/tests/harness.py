"""Run mlcli.py as `python3 mlcli.py ARGS...` would, but with a fake time.sleep that only records.

Usage: python3 harness.py OUT.json ARGS...

Writes {"waits": [seconds, ...], "code": exit status} to OUT.json. time.sleep is replaced
before mlcli.py is loaded, so `import time` and `from time import sleep` both get the fake.
"""
import json
import os
import runpy
import sys
import time
import traceback

out_path = sys.argv[1]
waits = []


def fake_sleep(seconds):
    try:
        waits.append(float(seconds))
    except (TypeError, ValueError):
        waits.append(repr(seconds))


time.sleep = fake_sleep
sys.argv = ["mlcli.py"] + sys.argv[2:]
sys.path[0] = os.getcwd()
code = 0
try:
    runpy.run_path("mlcli.py", run_name="__main__")
except SystemExit as stop:
    if stop.code is None:
        code = 0
    elif isinstance(stop.code, int):
        code = stop.code
    else:
        print(stop.code, file=sys.stderr)
        code = 1
except BaseException:
    traceback.print_exc()
    code = 1
finally:
    with open(out_path, "w") as f:
        json.dump({"waits": waits, "code": code}, f)
    sys.stdout.flush()
    sys.stderr.flush()
os._exit(code)
