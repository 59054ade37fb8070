package dev.initium.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Dockerfile read into stages of instructions, with as much of the syntax as the checks of
 * {@link DockerfilesTest} need (Dockerfile reference: logical lines continue after a trailing
 * backslash, comment lines inside them are dropped, parser directives stand at the top, exec forms
 * are JSON arrays). What this reader does not handle (heredocs, another escape character, quoted
 * COPY operands) is refused rather than misread. Syntax proper is left to dockerfile-utils' lint.
 *
 * @param path   the file
 * @param stages its stages in order
 */
record Dockerfile(Path path, List<Stage> stages) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One instruction.
     *
     * @param keyword   upper case, e.g. COPY
     * @param arguments the rest of the logical line, continuations joined
     * @param line      1-based line where it starts
     */
    record Instruction(String keyword, String arguments, int line) {
        /** The exec form ({@code ["a", "b"]}) as a list; fails on the shell form. */
        List<String> execForm() {
            if (!arguments.startsWith("[")) {
                throw new IllegalStateException("line " + line + ": " + keyword + " is not in exec form: " + arguments);
            }
            try {
                return Arrays.asList(JSON.readValue(arguments, String[].class));
            } catch (IOException e) {
                throw new IllegalStateException("line " + line + ": " + keyword + " is not a JSON array: " + e.getMessage(), e);
            }
        }

        /** The {@code --name=value} flags before the operands of COPY or ADD. */
        Map<String, String> flags() {
            Map<String, String> f = new LinkedHashMap<>();
            for (String w : words()) {
                if (!w.startsWith("--")) {
                    break;
                }
                int eq = w.indexOf('=');
                f.put(eq < 0 ? w.substring(2) : w.substring(2, eq), eq < 0 ? "" : w.substring(eq + 1));
            }
            return f;
        }

        /** The operands after the flags: for COPY the sources, then the destination. */
        List<String> operands() {
            List<String> w = words();
            int i = 0;
            while (i < w.size() && w.get(i).startsWith("--")) {
                i++;
            }
            String rest = String.join(" ", w.subList(i, w.size()));
            if (rest.startsWith("[")) {
                return new Instruction(keyword, rest, line).execForm();
            }
            if (rest.contains("\"") || rest.contains("'") || rest.contains("$")) {
                throw new IllegalStateException("line " + line + ": quoted or variable operands are not read here: " + rest);
            }
            return w.subList(i, w.size());
        }

        private List<String> words() {
            return Arrays.asList(arguments.trim().split("\\s+"));
        }
    }

    /**
     * One stage.
     *
     * @param index        0-based
     * @param image        the FROM image (or an earlier stage's name)
     * @param name         the AS name, or null
     * @param instructions what follows FROM, up to the next FROM
     */
    record Stage(int index, String image, String name, List<Instruction> instructions) {
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        /** The last instruction of {@code keyword}, if any. */
        Optional<Instruction> last(String keyword) {
            List<Instruction> l = all(keyword);
            return l.isEmpty() ? Optional.empty() : Optional.of(l.getLast());
        }

        /** The working directory in force at instruction {@code upTo} (absolute WORKDIRs only). */
        String workdirAt(Instruction upTo) {
            String w = "/";
            for (Instruction i : instructions) {
                if (i == upTo) {
                    break;
                }
                if (i.keyword().equals("WORKDIR")) {
                    String d = i.arguments().trim();
                    if (!d.startsWith("/")) {
                        throw new IllegalStateException("line " + i.line() + ": relative WORKDIR " + d + " is not read here");
                    }
                    w = d;
                }
            }
            return w;
        }
    }

    static Dockerfile parse(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path);
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        String image = null;
        String name = null;
        boolean directives = true;
        for (int n = 0; n < lines.size(); n++) {
            String raw = lines.get(n).strip();
            if (directives && raw.matches("#\\s*[A-Za-z]+\\s*=.*")) {
                if (raw.toLowerCase(Locale.ROOT).matches("#\\s*escape\\s*=.*")) {
                    throw new IllegalStateException(path + ": an escape directive is not read here");
                }
                continue;
            }
            directives = false;
            if (raw.isEmpty() || raw.startsWith("#")) {
                continue;
            }
            int start = n + 1;
            StringBuilder logical = new StringBuilder();
            String l = raw;
            while (l.endsWith("\\")) {
                logical.append(l, 0, l.length() - 1).append(' ');
                do {
                    n++;
                    l = n < lines.size() ? lines.get(n).strip() : "";
                } while (n < lines.size() && (l.isEmpty() || l.startsWith("#")));
            }
            logical.append(l);
            String text = logical.toString().strip();
            int sp = text.indexOf(' ');
            String keyword = (sp < 0 ? text : text.substring(0, sp)).toUpperCase(Locale.ROOT);
            String args = sp < 0 ? "" : text.substring(sp + 1).strip().replaceAll("\\s+", " ");
            if (args.contains("<<")) {
                throw new IllegalStateException(path + ":" + start + ": heredocs are not read here");
            }
            Instruction ins = new Instruction(keyword, args, start);
            if (keyword.equals("FROM")) {
                if (current != null) {
                    stages.add(new Stage(stages.size(), image, name, List.copyOf(current)));
                }
                String[] w = args.split(" ");
                image = Arrays.stream(w).filter(x -> !x.startsWith("--")).findFirst().orElseThrow();
                name = w.length >= 3 && w[w.length - 2].equalsIgnoreCase("AS") ? w[w.length - 1] : null;
                current = new ArrayList<>();
            } else if (current == null) {
                if (!keyword.equals("ARG")) {
                    throw new IllegalStateException(path + ":" + start + ": " + keyword + " before the first FROM");
                }
            } else {
                current.add(ins);
            }
        }
        if (current != null) {
            stages.add(new Stage(stages.size(), image, name, List.copyOf(current)));
        }
        return new Dockerfile(path, List.copyOf(stages));
    }

    /** The stage named (or numbered) {@code ref} before stage {@code before}, if any. */
    Optional<Stage> stage(String ref, int before) {
        for (Stage s : stages.subList(0, before)) {
            if (ref.equals(s.name()) || ref.equals(String.valueOf(s.index()))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    Stage last() {
        return stages.getLast();
    }
}
