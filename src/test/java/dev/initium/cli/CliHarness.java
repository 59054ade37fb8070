package dev.initium.cli;

/** Public access to the in-process CLI runner for tests in other packages. */
public final class CliHarness {
    private CliHarness() {
    }

    /** The exit code and what was printed. */
    public record Result(int code, String out, String err) {
    }

    public static Result run(String... args) {
        CliRunner r = CliRunner.run(args);
        return new Result(r.code(), r.out(), r.err());
    }
}
