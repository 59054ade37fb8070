package dev.initium.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a path inside a Dockerfile stage comes from, traced back through its COPY instructions:
 * a file of the build context (the repository), the Maven build run in a stage, a pinned image's
 * own files, or a RUN of a stage that names it.
 */
final class ImagePaths {
    enum Kind { CONTEXT, MAVEN, IMAGE, RUN }

    /**
     * An origin.
     *
     * @param kind   what made it
     * @param detail the repository path (CONTEXT), the path relative to the Maven project (MAVEN),
     *               "image path" (IMAGE), or "stage:line" (RUN)
     */
    record Origin(Kind kind, String detail) {
    }

    private final Dockerfile file;
    private final Path repo;

    ImagePaths(Dockerfile file, Path repo) {
        this.file = file;
        this.repo = repo;
    }

    /** The origin of {@code path} (absolute, in stage {@code stage}'s filesystem), if it can be traced. */
    Optional<Origin> origin(Dockerfile.Stage stage, String path) {
        String p = normalize(path);
        List<Dockerfile.Instruction> copies = stage.all("COPY");
        for (int i = copies.size() - 1; i >= 0; i--) {
            Dockerfile.Instruction c = copies.get(i);
            List<String> ops = c.operands();
            String dest = resolve(stage.workdirAt(c), ops.getLast());
            boolean destDir = ops.getLast().endsWith("/") || ops.size() > 2;
            String from = c.flags().get("from");
            for (String src : ops.subList(0, ops.size() - 1)) {
                Optional<String> at = sourcePathFor(p, src, dest, destDir, from == null);
                if (at.isPresent()) {
                    return originOfSource(stage, from, at.get());
                }
            }
        }
        Optional<Origin> built = mavenOutput(stage, p);
        if (built.isPresent()) {
            return built;
        }
        for (Dockerfile.Instruction r : stage.all("RUN")) {
            if (r.arguments().matches(".*(^|[\\s\"'=])" + java.util.regex.Pattern.quote(p) + "($|[\\s\"'/;&|]).*")) {
                return Optional.of(new Origin(Kind.RUN, stage.index() + ":" + r.line()));
            }
        }
        return file.stage(stage.image(), stage.index()).flatMap(base -> origin(base, p));
    }

    /** What a COPY source resolves to: the repository path, or the path in the other stage or image. */
    Optional<Origin> originOfSource(Dockerfile.Stage stage, String from, String source) {
        if (from == null) {
            return Optional.of(new Origin(Kind.CONTEXT, normalize(source).substring(1)));
        }
        Optional<Dockerfile.Stage> other = file.stage(from, stage.index());
        if (other.isPresent()) {
            return origin(other.get(), source);
        }
        return Optional.of(new Origin(Kind.IMAGE, from + " " + normalize(source)));
    }

    /**
     * The path inside {@code src} that a COPY to {@code dest} puts at {@code p}, if it puts anything
     * there: a directory's contents go into the destination, a file into a destination directory
     * under its own name, or to the destination itself.
     */
    private Optional<String> sourcePathFor(String p, String src, String dest, boolean destDir, boolean fromContext) {
        String s = fromContext ? "/" + src : src;
        boolean srcDir = src.endsWith("/") || (fromContext && Files.isDirectory(repo.resolve(src)));
        String d = normalize(dest);
        if (srcDir || !fromContext) {
            if (p.equals(d)) {
                return Optional.of(normalize(s));
            }
            if (p.startsWith(d + "/") && (srcDir || !destDir)) {
                return Optional.of(normalize(s) + p.substring(d.length()));
            }
        }
        if (!srcDir) {
            String target = destDir ? d + "/" + Path.of(src).getFileName() : d;
            if (p.equals(normalize(target))) {
                return Optional.of(normalize(s));
            }
        }
        return Optional.empty();
    }

    /** {@code target/...} of a stage that runs the Maven wrapper's package goal in its working directory. */
    private static Optional<Origin> mavenOutput(Dockerfile.Stage stage, String p) {
        for (Dockerfile.Instruction r : stage.all("RUN")) {
            if (r.arguments().contains("./mvnw") && r.arguments().contains(" package")) {
                String project = normalize(stage.workdirAt(r));
                if (p.startsWith(project + "/target/")) {
                    return Optional.of(new Origin(Kind.MAVEN, p.substring(project.length() + 1)));
                }
            }
        }
        return Optional.empty();
    }

    static String resolve(String workdir, String path) {
        return path.startsWith("/") ? path : (workdir.endsWith("/") ? workdir : workdir + "/") + (path.equals(".") || path.equals("./") ? "" : path);
    }

    static String normalize(String p) {
        String n = Path.of("/").resolve(p).normalize().toString();
        return n.length() > 1 && n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }
}
