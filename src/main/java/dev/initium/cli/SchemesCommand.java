package dev.initium.cli;

import dev.initium.init.ParamSpec;
import dev.initium.init.Scheme;
import dev.initium.init.Schemes;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code initium schemes}: every scheme with its aliases, parameters, defaults and formula. */
@Command(name = "schemes", mixinStandardHelpOptions = true, description = "List every initializer scheme with its parameters, defaults and formula.")
final class SchemesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Scheme s : Schemes.all()) {
            out.println(s.name() + (s.aliases().isEmpty() ? "" : "  (also: " + String.join(", ", s.aliases()) + ")"));
            out.println("    " + s.formula());
            String own = s.params().stream().filter(p -> !isFanParam(p)).map(ParamSpec::summary).collect(Collectors.joining(", "));
            out.println("    params: " + (own.isEmpty() ? "(none)" : own)
                    + (s.params().stream().anyMatch(SchemesCommand::isFanParam) ? "; fans: fan_in, fan_out, in_axis=-2, out_axis=-1, batch_axis (optional)" : ""));
        }
        out.flush();
        return 0;
    }

    private static boolean isFanParam(ParamSpec p) {
        return switch (p.name()) {
            case "fan_out", "in_axis", "out_axis", "batch_axis" -> true;
            case "fan_in" -> !p.required();
            default -> false;
        };
    }
}
