package dev.initium.checkpoint;

import dev.initium.InitiumException;
import dev.initium.InvalidArgumentException;
import dev.initium.model.ModelPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The last step of a multi-rank run ({@code initium materialize ... --finalize}): writes the index
 * and config.json, and nothing else, once every shard of the plan is complete (manifest with the
 * plan hash and size, file size, header; {@link CheckpointFiles#problem}), waiting up to a deadline
 * for shards that are not there yet.
 *
 * <p>Why it is needed beside the ranks' own check (each rank writes the index when it finds every
 * shard complete after its own): on NFS a client caches negative lookups and file attributes (a
 * directory's for up to {@code acdirmax}, 60 s by default), so every rank can miss the manifest
 * another node wrote last and none writes the index; and a launcher may return before other nodes
 * are done (torchrun's exit barrier gives up after 300 s). Run once after every rank has ended, it
 * looks again, polling until the shards are visible or the deadline passes, and then either
 * writes the two files (identical bytes to what a rank would write, atomically) or fails with
 * {@link IncompleteCheckpointException}, naming what is missing, and writes nothing.
 */
public final class Finalizer {
    /** The longest pause between two looks at the directory. */
    static final Duration POLL = Duration.ofSeconds(2);

    /**
     * What was found and written.
     *
     * @param shards      the plan's shards, all complete
     * @param index       whether the index was written (a sharded plan)
     * @param config      whether config.json was written (a plan from a config.json)
     * @param seconds     how long it waited for the shards
     */
    public record Result(int shards, boolean index, boolean config, double seconds) {
    }

    private Finalizer() {
    }

    /**
     * Writes the index and config.json of {@code plan} in {@code dir} when every shard is complete,
     * looking again every {@link #POLL} (or less) until {@code wait} has passed.
     *
     * @param metadata the caller's {@code __metadata__} entries, as given to {@link CheckpointWriter#write}
     */
    public static Result finish(ModelPlan plan, Path dir, long seed, long maxShardBytes, Map<String, String> metadata, Duration wait) {
        if (wait.isNegative()) {
            throw new InvalidArgumentException("--wait " + wait.toSeconds() + " s: must be >= 0");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidArgumentException("output " + dir + " exists and is not a directory");
        }
        CheckpointWriter.Options o = new CheckpointWriter.Options(seed, maxShardBytes, false, false, new ClusterEnv(0, 1, "finalize"), metadata);
        List<ShardLayout.Shard> shards = CheckpointWriter.layout(plan, o);
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        List<String> problems = problems(dir, shards);
        while (!problems.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw incomplete(problems, shards.size(), wait);
            }
            pause(Math.min(left, POLL.toNanos()));
            problems = problems(dir, shards);
        }
        for (String name : new String[] {ShardLayout.INDEX, CheckpointFiles.CONFIG}) {
            if (Files.isDirectory(dir.resolve(name))) {
                throw new InvalidArgumentException("output directory " + dir + ": " + name + " is a directory where the checkpoint's "
                        + name + " goes; remove or rename it by hand");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        CheckpointIndex.write(dir, plan, shards);
        return new Result(shards.size(), shards.size() > 1, plan.configJson() != null, seconds);
    }

    /** Each incomplete shard as "FILE (why)", in file order. */
    private static List<String> problems(Path dir, List<ShardLayout.Shard> shards) {
        List<String> out = new ArrayList<>();
        for (ShardLayout.Shard s : shards) {
            String why = CheckpointFiles.problem(dir, s);
            if (why != null) {
                out.add(s.file() + " (" + why + ")");
            }
        }
        return out;
    }

    private static IncompleteCheckpointException incomplete(List<String> problems, int shards, Duration wait) {
        String shown = String.join(", ", problems.subList(0, Math.min(3, problems.size())))
                + (problems.size() > 3 ? " and " + (problems.size() - 3) + " more" : "");
        return new IncompleteCheckpointException(String.format(Locale.ROOT,
                "materialize --finalize: %d of %d shards are not complete after waiting %d s: %s; nothing written "
                        + "(a rank is still writing or failed, or ran with other settings or another Initium build: rerun it, then --finalize again)",
                problems.size(), shards, wait.toSeconds(), shown), problems);
    }

    private static void pause(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InitiumException("materialize --finalize was interrupted while waiting for the shards", e);
        }
    }
}
