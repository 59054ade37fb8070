package dev.initium.checkpoint;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a write: a bar redrawn in place on a terminal (bytes, tensors, rate, ETA), a plain
 * line every 10 seconds when the output is not a terminal, nothing when quiet.
 */
public final class Progress {
    /** How to report. */
    public enum Mode { BAR, LINES, QUIET }

    private final PrintWriter out;
    private final Mode mode;
    private final long totalBytes;
    private final int totalTensors;
    private final long start = System.nanoTime();
    private long bytes;
    private int tensors;
    private long lastPrint = start;

    public Progress(PrintWriter out, Mode mode, long totalBytes, int totalTensors) {
        this.out = out;
        this.mode = mode;
        this.totalBytes = totalBytes;
        this.totalTensors = totalTensors;
    }

    /** BAR when standard error (where progress is drawn) is a terminal, LINES otherwise, QUIET when asked. */
    public static Mode detect(boolean quiet) {
        if (quiet) {
            return Mode.QUIET;
        }
        return stderrIsTerminal() ? Mode.BAR : Mode.LINES;
    }

    /**
     * Whether standard error is a terminal. Java has no direct test for one stream
     * ({@code System.console()} looks at standard input and output), so: the launcher's word when it
     * gives one ({@code bin/initium} runs {@code [ -t 2 ]} before it starts the JVM and passes
     * {@code -Dinitium.stderr.terminal}, since its own filter puts a pipe between the JVM and the
     * terminal), else, on Linux, what file descriptor 2 points to ({@code /dev/pts/N}, {@code /dev/ttyN}).
     */
    static boolean stderrIsTerminal() {
        String told = System.getProperty("initium.stderr.terminal");
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    public synchronized void bytes(long n) {
        bytes += n;
        maybePrint(false);
    }

    public synchronized void tensorDone() {
        tensors++;
        maybePrint(false);
    }

    /** Ends the bar's line. */
    public synchronized void finish() {
        maybePrint(true);
        if (mode == Mode.BAR) {
            out.println();
            out.flush();
        }
    }

    private void maybePrint(boolean force) {
        long now = System.nanoTime();
        long every = mode == Mode.BAR ? 200_000_000L : 10_000_000_000L;
        if (mode == Mode.QUIET || (!force && now - lastPrint < every)) {
            return;
        }
        lastPrint = now;
        double sec = (now - start) / 1e9;
        double rate = sec > 0 ? bytes / sec : 0;
        double eta = rate > 0 ? (totalBytes - bytes) / rate : Double.NaN;
        String text = String.format(Locale.ROOT, "%6.2f/%.2f GB  %d/%d tensors  %.2f GB/s  ETA %s",
                bytes / 1e9, totalBytes / 1e9, tensors, totalTensors, rate / 1e9, Double.isNaN(eta) ? "-" : String.format(Locale.ROOT, "%.0fs", eta));
        if (mode == Mode.BAR) {
            int width = 30;
            int filled = totalBytes == 0 ? width : (int) Math.min(width, width * bytes / totalBytes);
            out.print("\r[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + text);
        } else {
            out.println("materialize: " + text);
        }
        out.flush();
    }
}
