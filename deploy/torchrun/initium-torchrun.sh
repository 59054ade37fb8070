#!/usr/bin/env bash
# Initium under torchrun, for setups that already launch their jobs with it. torchrun starts
# NPROC_PER_NODE processes of `initium materialize` on each node and gives each one RANK and
# WORLD_SIZE (= NNODES x NPROC_PER_NODE), which Initium reads; the processes never talk to each
# other. When torchrun has returned, the node with NODE_RANK 0 runs `initium materialize --finalize`
# and then `initium verify` once.
#
# torchrun returning on node 0 does not mean that the other nodes are done: an agent whose own
# processes have ended waits for the other agents at an exit barrier for at most 300 s
# (torch.distributed.elastic's exit_barrier_timeout), then logs the timeout and exits anyway, with
# code 0 when its own processes succeeded, whatever the other nodes are still doing. So node 0 runs
# `materialize --finalize --wait FINALIZE_WAIT` first: it writes the index only when every shard of
# every node is complete, waiting for them, and fails (exit code 4, naming the missing shards)
# otherwise; verify runs only after it has passed.
#
#   One node, one process per GPU:
#     MODEL=examples/tiny-llama/config.json OUT=/shared/ckpt/tiny deploy/torchrun/initium-torchrun.sh
#   Several nodes: run the same command on each, with its own NODE_RANK:
#     MODEL=... OUT=/shared/ckpt/x NNODES=4 NODE_RANK=0 RDZV_ENDPOINT=node0:29500 deploy/torchrun/initium-torchrun.sh
#
# The underlying command is
#   torchrun --nnodes=N --nproc_per_node=P [rendezvous] --no_python initium materialize --model M --out D ...
# (`--no_python` and `--nproc_per_node` are spelled with underscores: torch 1.x knows only those,
# torch 2.x accepts them beside the hyphenated forms.)
#
# Settings (environment):
#   MODEL, OUT        model config or spec, and the output directory on a filesystem every node sees (required)
#   INITIUM           the initium launcher (default: `initium` on PATH, e.g. the repository's bin/initium)
#                     (build the jar first: bin/initium builds it on first use, which many ranks at once must not do)
#   NPROC_PER_NODE    processes on this node (default: the GPUs nvidia-smi lists, else 1)
#   NNODES            number of nodes (default 1)
#   NODE_RANK         this node's index, 0 runs verify (default 0)
#   RDZV_ENDPOINT     host:port of the c10d rendezvous (default: torchrun --standalone, one node only;
#                     it serves the rendezvous on the fixed port 29400, so two such runs on one host clash)
#   RDZV_ID           rendezvous id, the same on every node (default initium)
#   THREADS           CPU threads per process (default: the node's processors / NPROC_PER_NODE)
#   SEED, DTYPE, INIT, MAX_SHARD_SIZE, BACKEND, RESUME=1, VERIFY_SAMPLE=K  as in deploy/slurm/initium.sbatch
#   TORCHRUN_ARGS     more torchrun options, e.g. "--max_restarts 2" (with RESUME=1 a restart keeps finished files)
#   FINALIZE_WAIT     how long node 0's --finalize waits for the other nodes' shards (default 600s)
#
# Every node, a rerun of a failed rank and node 0's finalize step must run the same Initium build:
# its version is in every header, hence in the plan.
set -euo pipefail

: "${MODEL:?set MODEL to the model config.json or spec}"
: "${OUT:?set OUT to the output directory, on a filesystem every node sees}"
INITIUM=${INITIUM:-initium}
BACKEND=${BACKEND:-auto}
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
if [ -z "${NPROC_PER_NODE:-}" ]; then
  NPROC_PER_NODE=$( (nvidia-smi -L 2>/dev/null || true) | grep -c '^GPU ' || true)
  [ "$NPROC_PER_NODE" -ge 1 ] || NPROC_PER_NODE=1
fi
threads=${THREADS:-$(( $(nproc) / NPROC_PER_NODE ))}
[ "$threads" -ge 1 ] || threads=1

plan=(--model "$MODEL" --seed "${SEED:-0}")
if [ -n "${DTYPE:-}" ]; then plan+=(--dtype "$DTYPE"); fi
if [ -n "${INIT:-}" ]; then plan+=(--init "$INIT"); fi

launch=(torchrun --nnodes "$NNODES" --nproc_per_node "$NPROC_PER_NODE")
if [ -n "${RDZV_ENDPOINT:-}" ]; then
  launch+=(--rdzv_backend c10d --rdzv_endpoint "$RDZV_ENDPOINT" --rdzv_id "${RDZV_ID:-initium}")
elif [ "$NNODES" = 1 ]; then
  launch+=(--standalone)
else
  echo "initium-torchrun: NNODES=$NNODES needs RDZV_ENDPOINT (host:port of node 0)" >&2
  exit 2
fi
# Extra torchrun options are words on purpose.
# shellcheck disable=SC2206
launch+=(${TORCHRUN_ARGS:-})

materialize=("$INITIUM" materialize "${plan[@]}" --out "$OUT" --max-shard-size "${MAX_SHARD_SIZE:-5GB}"
  --backend "$BACKEND" --threads "$threads")
if [ "${RESUME:-0}" = 1 ]; then materialize+=(--resume); fi

# Slurm's or Kubernetes' rank variables must not mix with torchrun's.
unset SLURM_PROCID SLURM_NTASKS JOB_COMPLETION_INDEX

echo "initium-torchrun: node $NODE_RANK of $NNODES, $NPROC_PER_NODE processes, writing $OUT"
if ! "${launch[@]}" --no_python "${materialize[@]}"; then
  echo "initium-torchrun: a process failed (see its error above); finished files are complete." >&2
  echo "initium-torchrun: rerun with RESUME=1 to write only what is missing, or rerun one rank R alone:" >&2
  echo "  $INITIUM materialize ${plan[*]} --out $OUT --max-shard-size ${MAX_SHARD_SIZE:-5GB} --rank R --world-size $((NNODES * NPROC_PER_NODE)) --resume" >&2
  exit 1
fi

if [ "$NODE_RANK" = 0 ]; then
  if ! "$INITIUM" materialize "${plan[@]}" --out "$OUT" --max-shard-size "${MAX_SHARD_SIZE:-5GB}" --finalize --wait "${FINALIZE_WAIT:-600s}"; then
    echo "initium-torchrun: the checkpoint is not complete (see above): rerun the ranks of the missing shards with RESUME=1, then finalize again" >&2
    exit 1
  fi
  verify=("$INITIUM" verify "${plan[@]}" --backend "$BACKEND")
  if [ -n "${VERIFY_SAMPLE:-}" ]; then verify+=(--sample "$VERIFY_SAMPLE"); fi
  "${verify[@]}" "$OUT"
fi
