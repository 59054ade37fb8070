package dev.initium.cli;

import dev.initium.InitiumIOException;
import dev.initium.InvalidArgumentException;
import dev.initium.engine.Backends;
import dev.initium.checkpoint.Verifier;
import dev.initium.DType;
import dev.initium.engine.FillBackend;
import dev.initium.model.ModelPlan;
import dev.initium.model.Models;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code initium verify}: recompute a checkpoint and report every mismatch; exit code 1 on any. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Recompute a checkpoint (every tensor, or --sample K random chunks) and report each mismatch; exit code 1 on any.")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "The config.json or model spec the checkpoint was made from.")
    Path model;

    @Parameters(index = "0", paramLabel = "DIR", description = "The checkpoint directory.")
    Path dir;

    @Option(names = "--seed", defaultValue = "0", description = "The seed it was made with. Default ${DEFAULT-VALUE}.")
    String seed;

    @Option(names = "--dtype", description = "The dtype it was made with (as materialize).")
    String dtype;

    @Option(names = "--init", description = "The --init values it was made with; repeatable.")
    List<String> inits;

    @Option(names = "--sample", description = "Compare K random chunks of 2^20 elements instead of everything.")
    Integer sample;

    @Option(names = "--backend", defaultValue = "cpu", description = "Backend to recompute with. Default ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--threads", description = "CPU worker threads. Default: all processors.")
    Integer threads;

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new InvalidArgumentException("checkpoint directory " + dir + " does not exist");
        }
        if (sample != null && sample < 1) {
            throw new InvalidArgumentException("--sample = " + sample + ": must be >= 1");
        }
        ModelPlan plan = Models.load(model, dtype == null ? null : DType.parse(dtype), inits);
        int n = Args.threads(threads);
        PrintWriter out = spec.commandLine().getOut();
        List<Verifier.Mismatch> problems;
        try (FillBackend b = Backends.open(backend, n)) {
            problems = Verifier.verify(plan, dir, Args.u64("--seed", seed), b, sample == null ? 0 : sample);
        } catch (IOException e) {
            throw new InitiumIOException(dir, e);
        }
        for (Verifier.Mismatch m : problems) {
            out.println("MISMATCH " + m);
        }
        out.println(problems.isEmpty() ? "verify: OK, " + plan.tensors().size() + " tensors match" + (sample == null ? "" : " (" + sample + " sampled chunks)")
                : "verify: " + problems.size() + " problem(s)");
        out.flush();
        return problems.isEmpty() ? 0 : 1;
    }
}
