#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""render-device.py DICTIONARY.jinja2 DEVICE-TYPES-DIR JOB.yaml

Print the device description that lava-run reads (--device), rendered from a
LAVA device dictionary with lava-server's device-type templates and the job's
context, as a LAVA server does (lava_scheduler_app: a sandboxed Jinja2
environment, trim_blocks, the job's context as the variables). Runs in LAVA's
root (its python3-jinja2 and python3-yaml).
"""
import os
import sys

import jinja2
import jinja2.sandbox
import yaml


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    dictionary, types, job = sys.argv[1:]
    with open(job) as f:
        context = yaml.safe_load(f).get("context", {})
    env = jinja2.sandbox.SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([os.path.dirname(os.path.abspath(dictionary)), types]),
        autoescape=False, trim_blocks=True)
    text = env.get_template(os.path.basename(dictionary)).render(**context)
    yaml.safe_load(text)  # what lava-run will read must be YAML
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
