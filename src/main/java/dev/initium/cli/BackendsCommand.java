package dev.initium.cli;

import dev.initium.engine.Backends;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code initium backends}: each backend, its status, and its devices. */
@Command(name = "backends", mixinStandardHelpOptions = true, description = "List each backend, its status and its devices.")
final class BackendsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Backends.Status s : Backends.survey()) {
            out.printf("%-10s %s%n", s.name(), s.status());
            for (String d : s.devices()) {
                out.printf("%-10s   %s%n", "", d);
            }
        }
        out.flush();
        return 0;
    }
}
