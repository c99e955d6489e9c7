#!/bin/sh
# Runs once in temporalio/admin-tools after the server is up: registers the namespace the worker and
# the API use (the server image, unlike the retired auto-setup image, creates none).
set -eu
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
until temporal operator cluster health --address "${TEMPORAL_ADDRESS}"; do echo 'waiting for Temporal…'; sleep 2; done
temporal operator namespace describe -n "$NAMESPACE" --address "${TEMPORAL_ADDRESS}" \
  || temporal operator namespace create -n "$NAMESPACE" --retention 30d --address "${TEMPORAL_ADDRESS}"
echo "namespace ${NAMESPACE} ready"
