package dev.initium.cli;

import dev.initium.InvalidArgumentException;
import dev.initium.engine.Backends;
import dev.initium.checkpoint.CheckpointWriter;
import dev.initium.checkpoint.ClusterEnv;
import dev.initium.checkpoint.Finalizer;
import dev.initium.checkpoint.Progress;
import dev.initium.DType;
import dev.initium.engine.FillBackend;
import dev.initium.model.ModelPlan;
import dev.initium.model.Models;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code initium materialize}: a model's complete initial checkpoint as Hugging Face safetensors,
 * from a config.json or an Initium model spec, on one machine or as one rank of many.
 */
@Command(name = "materialize", mixinStandardHelpOptions = true,
        description = "Write a model's initial weights as Hugging Face safetensors (from config.json or an Initium model spec).")
final class MaterializeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "A Hugging Face config.json or an Initium model spec (JSON).")
    Path model;

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "64-bit seed. Default ${DEFAULT-VALUE}.")
    String seed;

    @Option(names = "--dtype", description = "f32, bf16 or f16. Default: the config's torch_dtype (float32 when absent), or the spec's.")
    String dtype;

    @Option(names = "--backend", defaultValue = "cpu", description = "cpu, cuda, cuda:N, opencl, opencl-gpu, tornadovm, tornadovm:B:D or auto. Default ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--threads", description = "CPU worker threads. Default: all processors.")
    Integer threads;

    @Option(names = "--max-shard-size", defaultValue = "5GB", description = "Largest file before a new one starts (as transformers). Default ${DEFAULT-VALUE}.")
    String maxShardSize;

    @Option(names = "--init", description = "A scheme set (megatron, olmo-mitchell, mup:width_mult=M) or PATTERN=SCHEME[:k=v,...] for the parameters whose name contains PATTERN; repeatable.")
    List<String> inits;

    @Option(names = "--rank", description = "This process's rank (else RANK, SLURM_PROCID or JOB_COMPLETION_INDEX).")
    Integer rank;

    @Option(names = "--world-size", description = "Number of processes (else WORLD_SIZE or SLURM_NTASKS; without --rank it must agree with them).")
    Integer worldSize;

    @Option(names = "--resume", description = "Continue an interrupted run: keep the complete shards whose plan hash and checksum verify, rewrite the rest.")
    boolean resume;

    @Option(names = "--force", description = "Overwrite this plan's existing files and remove the checkpoint files (*.safetensors, *.safetensors.index.json, .initium/) that are not in this plan; no other file is touched.")
    boolean force;

    @Option(names = "--finalize", description = "Write nothing but the index and config.json, and only when every shard of the plan is complete "
            + "(run once after all ranks, with the same settings and build); else exit 4 naming the missing shards. No --rank, --world-size, --resume or --force.")
    boolean finalize;

    @Option(names = "--wait", description = "With --finalize: how long to wait for shards that are not complete yet (other nodes still writing, NFS caching), "
            + "as seconds or with s, m, h (10m). Default: look once.")
    String waitFor;

    @Option(names = "--quiet", description = "No progress and no summary.")
    boolean quiet;

    @Override
    public Integer call() {
        if (resume && force) {
            throw new InvalidArgumentException("give --resume or --force, not both");
        }
        if (finalize) {
            return finalizeCheckpoint();
        }
        if (waitFor != null) {
            throw new InvalidArgumentException("--wait goes with --finalize");
        }
        DType t = dtype == null ? null : DType.parse(dtype);
        long maxShard = Args.bytes(maxShardSize);
        long s = Args.u64("--seed", seed);
        ClusterEnv env = ClusterEnv.resolve(rank, worldSize, System.getenv());
        ModelPlan plan = Models.load(model, t, inits);
        int n = Args.threads(threads);
        PrintWriter err = spec.commandLine().getErr();
        CheckpointWriter.Result r;
        try (FillBackend b = Backends.open(backend, n)) {
            r = CheckpointWriter.write(plan, out, b, new CheckpointWriter.Options(s, maxShard, resume, force, env, metadata(plan)),
                    Progress.detect(quiet), err);
        }
        if (!quiet) {
            err.printf(Locale.ROOT, "materialize: %s, %d tensors, wrote %d of %d files (%d kept), %.2f GB in %.1f s (%.2f GB/s) to %s [rank %d of %d, %s]%s%s%n",
                    plan.architecture(), r.tensors(), r.written(), r.files().size(), r.kept(), r.bytes() / 1e9, r.seconds(),
                    r.seconds() > 0 ? r.bytes() / r.seconds() / 1e9 : 0, out, env.rank(), env.worldSize(), env.source(),
                    r.removed().isEmpty() ? "" : "; removed " + r.removed().size() + " checkpoint file(s) not in this plan or left half-written",
                    r.complete() ? "; checkpoint complete"
                            : "; other ranks' shards are not complete yet (the last rank to finish writes the index, or materialize --finalize)");
            err.flush();
        }
        return 0;
    }

    /** {@code --finalize}: the index and config.json once every shard is complete, nothing else. */
    private int finalizeCheckpoint() {
        for (var given : new Object[][] {{"--rank", rank}, {"--world-size", worldSize}, {"--resume", resume ? true : null}, {"--force", force ? true : null}}) {
            if (given[1] != null) {
                throw new InvalidArgumentException("--finalize checks every shard of the plan and writes no shard: " + given[0] + " does not apply");
            }
        }
        java.time.Duration wait = waitFor == null ? java.time.Duration.ZERO : Args.duration("--wait", waitFor);
        DType t = dtype == null ? null : DType.parse(dtype);
        long maxShard = Args.bytes(maxShardSize);
        long s = Args.u64("--seed", seed);
        ModelPlan plan = Models.load(model, t, inits);
        Finalizer.Result r = Finalizer.finish(plan, out, s, maxShard, metadata(plan), wait);
        if (!quiet) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf(Locale.ROOT, "materialize --finalize: every one of the %d shards is complete%s; wrote %s to %s%n", r.shards(),
                    r.seconds() >= 1 ? String.format(Locale.ROOT, " (after %.0f s)", r.seconds()) : "",
                    r.index() && r.config() ? "the index and config.json" : r.index() ? "the index" : r.config() ? "config.json" : "nothing (one shard, no config.json)",
                    out);
            err.flush();
        }
        return 0;
    }

    /**
     * The {@code __metadata__} entries this command adds (insertion-ordered: the header bytes must be
     * the same in every process, and Map.of's order is not). The version makes a header, hence the
     * plan, differ between builds: every rank and the finalize step must run the same build.
     */
    private static Map<String, String> metadata(ModelPlan plan) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("initium.version", Version.current());
        meta.put("initium.architecture", plan.architecture());
        return meta;
    }
}
