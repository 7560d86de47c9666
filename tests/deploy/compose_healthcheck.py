"""Prints a service's health check from a compose file as the shell command Docker runs
in the container (`["CMD", "bash", "-c", COMMAND]`), so that a test can run it here.

    python compose_healthcheck.py docker-compose.yml backend
"""

import sys

from ruamel.yaml import YAML

path, service = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    test = YAML(typ="safe").load(f)["services"][service]["healthcheck"]["test"]
if test[:3] != ["CMD", "bash", "-c"] or len(test) != 4:
    sys.exit(f"{path}: {service}'s health check is no longer [CMD, bash, -c, COMMAND]: {test}")
# Compose reads `$$` as a literal `$`.
print(test[3].replace("$$", "$"))
