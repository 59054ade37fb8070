package dev.initium.cli;

import dev.initium.InitiumException;
import dev.initium.InvalidArgumentException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code initium} command line. Exit codes: 0 success, 1 failure (an I/O error, a device error,
 * a mismatch found by {@code verify}), 2 bad input (one line on standard error naming the problem,
 * and nothing written).
 */
@Command(name = "initium", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Counter-based, bit-reproducible weight initialisation.",
        subcommands = {MaterializeCommand.class, VerifyCommand.class, RandomCommand.class, FillCommand.class, SchemesCommand.class,
            BenchCommand.class, BackendsCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for bad input. */
    public static final int BAD_INPUT = 2;
    /** Exit code for failures that are not the input's fault. */
    public static final int FAILURE = 1;

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
            if (ex instanceof InitiumException || ex instanceof java.io.UncheckedIOException) {
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
