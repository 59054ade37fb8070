package dev.initium.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.initium.cli.CliHarness;
import dev.initium.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code materialize --finalize}: the step a launcher runs once after every rank, which writes the
 * index and config.json when (and only when) every shard of the plan is complete, waiting up to
 * {@code --wait} for shards that other nodes are still writing or that a file system shows late
 * (NFS caches negative lookups and attributes, so each rank's own check may miss the last shard).
 */
class FinalizeTest {
    static final String TINY = MaterializeTest.TINY;
    static final int WORLD = 3;
    @TempDir
    Path dir;

    /** Every rank missed the last manifest (as on NFS), so no index was written: --finalize writes it and nothing else. */
    @Test
    void finalizeWritesTheIndexAndConfigWhenEveryShardIsComplete() throws Exception {
        Path ref = dir.resolve("reference");
        assertEquals(0, run(ref, "--seed", "4").code());
        Path out = dir.resolve("ranks");
        for (int rank = 0; rank < WORLD; rank++) {
            assertEquals(0, run(out, "--seed", "4", "--rank", String.valueOf(rank), "--world-size", String.valueOf(WORLD)).code());
        }
        Files.delete(out.resolve(ShardLayout.INDEX));
        Files.delete(out.resolve("config.json"));
        var before = CheckpointIntegrityTest.tree(out);
        Map<String, Object> inodes = CheckpointIntegrityTest.inodes(out);

        var r = CliHarness.run("materialize", "--model", TINY, "--out", out.toString(), "--max-shard-size", "2MB", "--seed", "4", "--finalize");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("finalize: every one of the 5 shards is complete"), r.err());
        CheckpointIntegrityTest.assertTreeEquals(MaterializeTest.files(ref), MaterializeTest.files(out), "finalized = single process");
        var after = CheckpointIntegrityTest.tree(out);
        after.remove(ShardLayout.INDEX);
        after.remove("config.json");
        CheckpointIntegrityTest.assertTreeEquals(before, after, "nothing but the index and config.json was written");
        assertEquals(inodes, CheckpointIntegrityTest.inodes(out), "no shard was rewritten");
        assertEquals(0, CliHarness.run("verify", "--model", TINY, "--seed", "4", out.toString()).code());

        var again = run(out, "--seed", "4", "--finalize");
        assertEquals(0, again.code(), "finalizing a finished checkpoint is harmless: " + again.err());
        CheckpointIntegrityTest.assertTreeEquals(MaterializeTest.files(ref), MaterializeTest.files(out), "still the same");
    }

    /** A rank has not run: --finalize waits until --wait, then fails with its own exit code naming what is missing, and writes nothing. */
    @Test
    void finalizeFailsNamingTheMissingShardsAndWritesNothing() throws Exception {
        Path out = dir.resolve("missing");
        for (int rank = 0; rank < WORLD - 1; rank++) {
            assertEquals(0, run(out, "--rank", String.valueOf(rank), "--world-size", String.valueOf(WORLD)).code());
        }
        var before = CheckpointIntegrityTest.tree(out);
        var r = run(out, "--finalize", "--wait", "1s");
        assertEquals(Main.INCOMPLETE, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("not complete") && r.err().contains("after waiting 1 s"), r.err());
        List<ShardLayout.Shard> last = rankShards(WORLD - 1);
        assertTrue(r.err().contains(last.getFirst().file() + " (missing)"), r.err());
        assertFalse(Files.exists(out.resolve(ShardLayout.INDEX)));
        assertFalse(Files.exists(out.resolve("config.json")));
        CheckpointIntegrityTest.assertTreeEquals(before, CheckpointIntegrityTest.tree(out), "nothing written");
    }

    /** A shard of another plan under a planned name (another seed) is not complete for this one. */
    @Test
    void aShardOfAnotherPlanIsNotComplete() throws Exception {
        Path out = dir.resolve("mixed");
        for (int rank = 0; rank < WORLD; rank++) {
            assertEquals(0, run(out, "--seed", rank == 1 ? "9" : "0", "--rank", String.valueOf(rank), "--world-size", String.valueOf(WORLD)).code());
        }
        var r = run(out, "--finalize");
        assertEquals(Main.INCOMPLETE, r.code(), r.err());
        assertTrue(r.err().contains(rankShards(1).getFirst().file() + " (of another plan)"), r.err());
        assertFalse(Files.exists(out.resolve(ShardLayout.INDEX)));
    }

    /** The shards appear while --finalize waits (a slower node): it writes the index once they are complete. */
    @Test
    void finalizeWaitsForShardsThatAppearLater() throws Exception {
        Path out = dir.resolve("late");
        for (int rank = 0; rank < WORLD - 1; rank++) {
            assertEquals(0, run(out, "--rank", String.valueOf(rank), "--world-size", String.valueOf(WORLD)).code());
        }
        CompletableFuture<CliHarness.Result> finalize = CompletableFuture.supplyAsync(() -> run(out, "--finalize", "--wait", "5m"));
        var last = run(out, "--rank", String.valueOf(WORLD - 1), "--world-size", String.valueOf(WORLD));
        assertEquals(0, last.code(), last.err());
        var r = finalize.get();
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out.resolve(ShardLayout.INDEX)));
        assertEquals(0, CliHarness.run("verify", "--model", TINY, out.toString()).code());
    }

    @Test
    void finalizeRefusesOptionsThatDoNotApply() {
        Path out = dir.resolve("bad");
        for (String[] extra : new String[][] {{"--finalize", "--rank", "0", "--world-size", "2"}, {"--finalize", "--world-size", "2"},
            {"--finalize", "--resume"}, {"--finalize", "--force"}, {"--wait", "10s"}, {"--finalize", "--wait", "ten"}, {"--finalize", "--wait", "-1s"}}) {
            var r = run(out, extra);
            assertEquals(2, r.code(), String.join(" ", extra) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(Files.exists(out), "nothing written");
        }
    }

    /** The shards rank {@code rank} of {@link #WORLD} writes for the tiny Llama at 2MB, seed 0. */
    private static List<ShardLayout.Shard> rankShards(int rank) {
        return RankAssignment.of(ForceAndStaleFilesTest.cliLayout(TINY, 2_000_000, 0), rank, WORLD);
    }

    private static CliHarness.Result run(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("materialize", "--model", TINY, "--out", out.toString(), "--max-shard-size", "2MB", "--quiet"));
        args.addAll(List.of(extra));
        return CliHarness.run(args.toArray(new String[0]));
    }
}
