#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""kcidb-validate.py REPORT.json...

Check KCIDB reports (qemu/host/kcidb.py writes them) against KCIDB's own schema,
with its own library: kcidb_io.schema.V5_3.validate, the version the reports
claim (run with the python3 of scripts/pypi-venv.sh kcidb-io). Prints one line per
report; exit 1 if any is not valid.
"""
import json
import sys

import jsonschema
import kcidb_io


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    schema = kcidb_io.schema.V5_3
    assert kcidb_io.schema.LATEST is schema, f"kcidb-io's latest schema is {kcidb_io.schema.LATEST}; update kcidb.py"
    rc = 0
    for path in sys.argv[1:]:
        try:
            with open(path) as f:
                data = json.load(f)
            schema.validate(data)
        except (OSError, ValueError) as e:
            print(f"error: {path} is not a JSON report: {e}")
            rc = 1
        except jsonschema.exceptions.ValidationError as e:
            where = "/".join(str(p) for p in e.absolute_path)
            print(f"error: {path} is not a valid KCIDB {schema} report: at {where or 'the top'}: {e.message}")
            rc = 1
        else:
            print(f"{path}: a valid KCIDB {schema} report ({len(data.get('tests', []))} tests)")
    return rc


if __name__ == "__main__":
    sys.exit(main())
