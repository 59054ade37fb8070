#!/usr/bin/env bash
# Runs deploy/kubernetes/initium-job.yaml end to end with kubectl: stores the model config in the
# ConfigMap the pods mount, starts the Indexed Job, waits until every index has completed, then
# runs initium-verify.yaml (materialize --finalize, then verify) and prints its verdict. Exit code 0
# only when the checkpoint was complete and verify found no mismatch.
#   deploy/kubernetes/run.sh examples/llama-3-8b/config.json [TIMEOUT_SECONDS, default 7200]
# Edit the two YAML files first for the image name, the output path, the seed and the world size.
set -euo pipefail
config=${1:?usage: run.sh MODEL_CONFIG.json [TIMEOUT_SECONDS]}
timeout=${2:-7200}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Waits until job $1 has the condition Complete (returns 0) or Failed (returns 1), or the timeout.
wait_job() {
  local deadline=$((SECONDS + timeout)) state
  while [ "$SECONDS" -lt "$deadline" ]; do
    state=$(kubectl get job "$1" -o jsonpath='{.status.conditions[?(@.status=="True")].type}')
    case " $state " in
      *" Complete "*) return 0 ;;
      *" Failed "*) return 1 ;;
    esac
    sleep 10
  done
  echo "run.sh: job/$1 still running after $timeout s" >&2
  return 1
}

kubectl create configmap initium-model --from-file=config.json="$config" --dry-run=client -o yaml | kubectl apply -f -
kubectl apply -f "$here/initium-job.yaml"
if ! wait_job initium-materialize; then
  echo "run.sh: job/initium-materialize did not complete; failed indexes:" \
    "$(kubectl get job initium-materialize -o jsonpath='{.status.failedIndexes}')" >&2
  echo "run.sh: fix the cause, then delete the job and apply it again: its pods pass --resume and keep the files already finished" >&2
  exit 1
fi
kubectl delete job initium-verify --ignore-not-found
kubectl apply -f "$here/initium-verify.yaml"
status=0
wait_job initium-verify || status=1
kubectl logs job/initium-verify --all-containers=true
exit "$status"
