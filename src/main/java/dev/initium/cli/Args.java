package dev.initium.cli;

import dev.initium.InvalidArgumentException;
import java.util.Locale;

/** Parsing of the values the commands take: shapes, ranges, sizes, 64-bit integers. */
final class Args {
    private Args() {
    }

    /** "D0,D1,..." into dimensions >= 1 whose product fits in a long. */
    static long[] shape(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidArgumentException("--shape is empty: give dimensions like 4096,11008");
        }
        String[] parts = text.split(",", -1);
        long[] dims = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            long d;
            try {
                d = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException("shape[" + i + "] = '" + parts[i] + "': not an integer");
            }
            if (d < 1) {
                throw new InvalidArgumentException("shape[" + i + "] = " + d + ": dimensions must be >= 1");
            }
            dims[i] = d;
        }
        numel(dims);
        return dims;
    }

    /** The element count of a shape; fails when it overflows 63 bits. */
    static long numel(long[] dims) {
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            try {
                n = Math.multiplyExact(n, dims[i]);
            } catch (ArithmeticException e) {
                throw new InvalidArgumentException("shape " + java.util.Arrays.toString(dims) + " overflows: more than 2^63 elements");
            }
        }
        return n;
    }

    /** "START:END" into {start, end} with 0 <= start < end <= numel. */
    static long[] range(String text, long numel) {
        String[] p = text.split(":", -1);
        if (p.length != 2) {
            throw new InvalidArgumentException("--range '" + text + "': expected START:END");
        }
        long start;
        long end;
        try {
            start = p[0].isBlank() ? 0 : Long.parseLong(p[0].trim());
            end = p[1].isBlank() ? numel : Long.parseLong(p[1].trim());
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("--range '" + text + "': START and END must be integers");
        }
        if (start < 0 || end > numel || start >= end) {
            throw new InvalidArgumentException("--range " + start + ":" + end + " is outside the tensor of " + numel
                    + " elements (need 0 <= START < END <= " + numel + ")");
        }
        return new long[] {start, end};
    }

    /** "S0:E0,S1:E1,..." into a box of {@code dims} (one START:END per dimension; empty START or END means the edge). */
    static dev.initium.tensor.Region box(String text, long[] dims) {
        String[] parts = text.split(",", -1);
        if (parts.length != dims.length) {
            throw new InvalidArgumentException("--box '" + text + "' has " + parts.length + " ranges; the tensor has " + dims.length + " dimensions");
        }
        long[] start = new long[dims.length];
        long[] end = new long[dims.length];
        for (int d = 0; d < dims.length; d++) {
            String[] se = parts[d].split(":", -1);
            if (se.length != 2) {
                throw new InvalidArgumentException("--box dimension " + d + " '" + parts[d] + "': expected START:END");
            }
            try {
                start[d] = se[0].isBlank() ? 0 : Long.parseLong(se[0].trim());
                end[d] = se[1].isBlank() ? dims[d] : Long.parseLong(se[1].trim());
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException("--box dimension " + d + " '" + parts[d] + "': START and END must be integers");
            }
        }
        dev.initium.tensor.Region r = new dev.initium.tensor.Region.Box(start, end);
        r.check(dims);
        return r;
    }

    /** The worker count: {@code --threads} if given (it must be >= 1), else all processors. */
    static int threads(Integer threads) {
        int n = threads == null ? dev.initium.engine.cpu.CpuFillEngine.defaultThreads() : threads;
        if (n < 1) {
            throw new InvalidArgumentException("--threads = " + n + ": must be >= 1");
        }
        return n;
    }

    /**
     * A byte count: a number, optionally with a unit B, KB, MB, GB, TB (powers of 1000) or KiB, MiB,
     * GiB, TiB (powers of 1024; K, M, G alone mean KiB, MiB, GiB). Decimals are fine when they make
     * whole bytes ({@code 1.5GB}, {@code 1.5KiB}); a count below one byte or with a fraction of a
     * byte ({@code 0.5}, {@code 1.0001KB}) is refused. Computed exactly (BigDecimal), never rounded.
     */
    static long bytes(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        String[][] units = {{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"}, {"TIB", "1099511627776"},
            {"KB", "1000"}, {"MB", "1000000"}, {"GB", "1000000000"}, {"TB", "1000000000000"}, {"K", "1024"},
            {"M", "1048576"}, {"G", "1073741824"}, {"B", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length()).trim();
                break;
            }
        }
        java.math.BigDecimal count;
        try {
            count = new java.math.BigDecimal(t).multiply(java.math.BigDecimal.valueOf(unit));
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("size '" + text + "': expected a positive number of bytes such as 512MiB or 5GB");
        }
        if (count.compareTo(java.math.BigDecimal.ONE) < 0) {
            throw new InvalidArgumentException("size '" + text + "' is " + count.stripTrailingZeros().toPlainString()
                    + " bytes: it must be at least 1 byte");
        }
        if (count.stripTrailingZeros().scale() > 0) {
            throw new InvalidArgumentException("size '" + text + "' is " + count.stripTrailingZeros().toPlainString()
                    + " bytes: a size must be a whole number of bytes");
        }
        if (count.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new InvalidArgumentException("size '" + text + "' exceeds 2^63 - 1 bytes");
        }
        return count.longValueExact();
    }

    /** A duration for {@code name}: whole seconds, optionally with a unit s, m or h ({@code 90}, {@code 90s}, {@code 10m}, {@code 1h}); at least 0. */
    static java.time.Duration duration(String name, String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,9})\\s*([smh]?)").matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new InvalidArgumentException(name + " '" + text + "': expected whole seconds, or a number with s, m or h (300, 300s, 10m, 1h)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> java.time.Duration.ofMinutes(n);
            case "h" -> java.time.Duration.ofHours(n);
            default -> java.time.Duration.ofSeconds(n);
        };
    }

    /** A 64-bit value given as signed or unsigned decimal, or as 0x hex. */
    static long u64(String name, String text) {
        String t = text.trim();
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            if (t.startsWith("-")) {
                return Long.parseLong(t);
            }
            return Long.parseUnsignedLong(t);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException(name + " = '" + text + "': not a 64-bit integer");
        }
    }
}
