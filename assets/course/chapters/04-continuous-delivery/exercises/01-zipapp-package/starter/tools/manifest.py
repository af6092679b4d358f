"""manifest.py: describe a build directory in MANIFEST.json.

Usage:
    python3 tools/manifest.py BUILD_DIR VERSION

Reads BUILD_DIR/model.json and writes BUILD_DIR/MANIFEST.json. Exits 2, writing nothing, when
VERSION is not of the form MAJOR.MINOR.PATCH or BUILD_DIR/model.json cannot be read.
"""
import hashlib  # noqa: F401  (you will want it)
import json
import pathlib
import platform  # noqa: F401  (you will want it)
import re  # noqa: F401  (you will want it)
import sys


def build_manifest(build_dir, version):
    """Return the manifest for build_dir as a dict, with exactly these four keys:

        name          "predictor"
        version       the version given
        model_sha256  the SHA-256 of build_dir/model.json's bytes, as 64 lowercase hex digits
        python        the running Python's version, such as "3.12.4"

    TODO: raise ValueError when version is not three dot-separated numbers such as "1.0.0".
    """
    raise NotImplementedError("build_manifest")


def main(argv):
    if len(argv) != 3:
        print("usage: python3 tools/manifest.py BUILD_DIR VERSION", file=sys.stderr)
        return 2
    build_dir = pathlib.Path(argv[1])
    try:
        manifest = build_manifest(build_dir, argv[2])
    except (OSError, ValueError) as err:
        print(f"manifest.py: {err}", file=sys.stderr)
        return 2
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    (build_dir / "MANIFEST.json").write_text(text, encoding="utf-8")
    print(f"manifest.py: {manifest['name']} {manifest['version']} "
          f"model {manifest['model_sha256'][:12]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
