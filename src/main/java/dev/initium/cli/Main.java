package dev.initium.cli;

import dev.initium.InitiumException;
import dev.initium.InitiumIOException;
import dev.initium.InvalidArgumentException;
import dev.initium.checkpoint.IncompleteCheckpointException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code initium} command line. Exit codes:
 * <ul>
 *   <li>{@value #SUCCESS}: success;
 *   <li>{@value #FAILURE}: a failure that is neither the input's nor the disk's: a mismatch found by
 *       {@code verify}, a device error, an internal error;
 *   <li>{@value #BAD_INPUT}: bad input: one line on standard error naming the problem, and nothing written;
 *   <li>{@value #IO_ERROR}: an I/O error (disk full, EIO, a file-size limit): one line
 *       {@code initium: I/O error: <path>: <reason>}, temporary files removed, nothing that looks complete left;
 *   <li>{@value #INCOMPLETE}: {@code materialize --finalize} found shards of the plan missing, half-written or of
 *       another plan when its {@code --wait} ran out: one line naming them, and nothing written.
 * </ul>
 */
@Command(name = "initium", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Counter-based, bit-reproducible weight initialisation.",
        subcommands = {MaterializeCommand.class, VerifyCommand.class, RandomCommand.class, FillCommand.class, SchemesCommand.class,
            BenchCommand.class, BackendsCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for success. */
    public static final int SUCCESS = 0;
    /** Exit code for failures that are neither bad input nor I/O errors (a verify mismatch, a device error). */
    public static final int FAILURE = 1;
    /** Exit code for bad input. */
    public static final int BAD_INPUT = 2;
    /** Exit code for I/O errors: the disk, not the input. */
    public static final int IO_ERROR = 3;
    /** Exit code of {@code materialize --finalize} when shards of the plan are not complete: a rank is still writing or failed. */
    public static final int INCOMPLETE = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (random, fill, bench, ...)");
    }

    public static void main(String[] args) {
        int code = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(code);
    }

    /** Runs the command line with the given streams and returns the exit code (never exits the JVM). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("initium: " + ex.getMessage() + " (see '" + ex.getCommandLine().getCommandName() + " --help')");
            err.flush();
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof InvalidArgumentException) {
                err.println("initium: " + ex.getMessage());
                err.flush();
                return BAD_INPUT;
            }
            if (ex instanceof InitiumIOException io) {
                err.println("initium: I/O error: " + io.getMessage());
                err.flush();
                return IO_ERROR;
            }
            if (ex instanceof java.io.UncheckedIOException io) {
                err.println("initium: I/O error: " + io.getMessage());
                err.flush();
                return IO_ERROR;
            }
            if (ex instanceof IncompleteCheckpointException) {
                err.println("initium: " + ex.getMessage());
                err.flush();
                return INCOMPLETE;
            }
            if (ex instanceof InitiumException) {
                err.println("initium: " + ex.getMessage());
                err.flush();
                return FAILURE;
            }
            err.println("initium: internal error: " + ex);
            ex.printStackTrace(err);
            err.flush();
            return FAILURE;
        });
        return cli.execute(args);
    }
}
