"""What docker-compose.yml must keep true beyond its schema, checked without Docker (which
`docker compose config` would need): every reference resolves, every image is pinned, the
backend can be scaled, and the backend trusts exactly nginx's fixed address.

    python check_compose.py docker-compose.yml
"""

import ipaddress
import re
import sys

from ruamel.yaml import YAML

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    compose = YAML(typ="safe").load(f)
services = compose["services"]
problems = []


def problem(text: str) -> None:
    problems.append(f"{path}: {text}")


for name, service in services.items():
    for other in service.get("depends_on", {}):
        if other not in services:
            problem(f"{name} depends on {other}, which is no service")
    for volume in service.get("volumes", []):
        source = volume.split(":", 1)[0]
        if not source.startswith((".", "/")) and source not in (compose.get("volumes") or {}):
            problem(f"{name} mounts the volume {source}, which is not declared")
    networks = service.get("networks", [])
    for network in networks if isinstance(networks, list) else networks.keys():
        if network not in (compose.get("networks") or {}):
            problem(f"{name} joins the network {network}, which is not declared")
    image = service.get("image")
    # A full version (16.15, v1.29): a tag such as latest or 16 moves under the operator.
    if image and not re.search(r":v?\d+\.\d+", image):
        problem(f"{name}'s image {image} is not pinned to a version")
    if not image and "build" not in service:
        problem(f"{name} has neither an image nor a build")

backend = services["backend"]
# `docker compose up --scale backend=3` refuses a fixed name or a published port.
for key in ("container_name", "ports"):
    if key in backend:
        problem(f"backend has {key}: it could not run as several replicas")
if "healthcheck" not in backend:
    problem("backend has no health check: nginx would be started before it answers")

nginx_address = services["frontend"]["networks"]["internal"]["ipv4_address"]
trusted = backend["environment"]["CABINA_TRUSTED_PROXIES"]
if trusted != nginx_address:
    problem(f"CABINA_TRUSTED_PROXIES is {trusted}, not nginx's address {nginx_address}")
pool = compose["networks"]["internal"]["ipam"]["config"][0]
address = ipaddress.ip_address(nginx_address)
if address not in ipaddress.ip_network(pool["subnet"]):
    problem(f"nginx's address {nginx_address} is outside the subnet {pool['subnet']}")
if address in ipaddress.ip_network(pool["ip_range"]):
    problem(f"nginx's address {nginx_address} is inside ip_range {pool['ip_range']}, "
            "where Docker may give it to another container first")
if not backend["environment"].get("CABINA_SMTP_URL", "").startswith("${CABINA_SMTP_URL:-smtp://mailpit:"):
    problem("the backend's CABINA_SMTP_URL does not default to Mailpit")

for line in problems:
    print(line)
sys.exit(1 if problems else 0)
