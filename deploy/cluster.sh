#!/usr/bin/env bash
# The whole deployment on one machine, for trying it out and for the tests (README.md, Deployment):
#   deploy/cluster.sh start [--replicas 2] [--port 8610]   PostgreSQL, the replicas, nginx; Ctrl-C stops all
#   deploy/cluster.sh stop                                 stop one started from another shell
# Needs `make setup system` first (make cluster does both).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m deploy.cluster "$@"
