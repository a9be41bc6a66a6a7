"""Deployment: the nginx configuration and the one-machine cluster (deploy/cluster.py)."""
