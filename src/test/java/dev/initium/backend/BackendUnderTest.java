package dev.initium.backend;

import dev.initium.dist.TransformParams;
import dev.initium.engine.Backends;
import dev.initium.engine.FillBackend;
import dev.initium.engine.cpu.CpuFillEngine;
import dev.initium.rng.StreamKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A backend for the equivalence suite: its fill, or the reason it is not available here. */
abstract class BackendUnderTest implements AutoCloseable {
    private final String name;
    private final String reason;

    BackendUnderTest(String name, String reason) {
        this.name = name;
        this.reason = reason;
    }

    String name() {
        return name;
    }

    String reason() {
        return reason;
    }

    boolean available() {
        return reason == null;
    }

    /** Elements [start, start + n) of tensor (key, p), in a segment of {@code arena}. */
    abstract MemorySegment fill(Arena arena, TransformParams p, StreamKey key, long start, long n);

    @Override
    public void close() {
    }

    /** A FillBackend that fills host memory. */
    static BackendUnderTest of(String name, FillBackend backend) {
        return new BackendUnderTest(name, null) {
            @Override
            MemorySegment fill(Arena arena, TransformParams p, StreamKey key, long start, long n) {
                MemorySegment seg = arena.allocate(n * p.dtype().bytes());
                backend.fill(seg, key, p, start, start + n);
                return seg;
            }

            @Override
            public void close() {
                backend.close();
            }
        };
    }

    static BackendUnderTest unavailable(String name, String reason) {
        return new BackendUnderTest(name, reason) {
            @Override
            MemorySegment fill(Arena arena, TransformParams p, StreamKey key, long start, long n) {
                throw new IllegalStateException(reason);
            }
        };
    }

    static BackendUnderTest vectorCpu() {
        return of("cpu (preferred kernel, 2 threads)", new CpuFillEngine(2));
    }

    /** The backend {@code spec} opens through the registry (its host fill: computed on the device, copied back). */
    static BackendUnderTest named(String spec) {
        try {
            FillBackend b = Backends.open(spec, 2);
            return of(spec + " " + b.describe(), b);
        } catch (RuntimeException | LinkageError e) {
            return unavailable(spec, e.getMessage());
        }
    }

    /** The host-C build of kernels/, compiled here with -ffp-contract=off and run as a process. */
    static BackendUnderTest hostC() {
        Path exe = Path.of("target", "host-c", "initium_host");
        try {
            Files.createDirectories(exe.getParent());
            List<String> cmd = List.of("cc", "-std=c11", "-O2", "-ffp-contract=off", "-fno-fast-math", "-o", exe.toString(),
                    "kernels/host/initium_host.c", "-lm");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return unavailable("host-c", "cc failed: " + log);
            }
        } catch (IOException e) {
            return unavailable("host-c", "no C compiler: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("host-c", "interrupted");
        }
        return new BackendUnderTest("host-c (kernels/host/initium_host.c)", null) {
            @Override
            MemorySegment fill(Arena arena, TransformParams p, StreamKey key, long start, long n) {
                try {
                    Path out = Files.createTempFile("initium-host", ".bin");
                    try {
                        List<String> cmd = new ArrayList<>(List.of(exe.toString(), "fill", String.valueOf(p.kind().code()),
                                String.valueOf(p.dtype().ordinal()), Long.toUnsignedString(start), Long.toUnsignedString(n)));
                        for (int w : new int[] {key.k0(), key.k1(), key.c2(), key.c3()}) {
                            cmd.add(Integer.toUnsignedString(w));
                        }
                        for (float f : new float[] {p.offset(), p.scale(), p.pa(), p.qb(), p.d(), p.lo(), p.hi()}) {
                            cmd.add(Integer.toHexString(Float.floatToRawIntBits(f)));
                        }
                        cmd.add("0");
                        cmd.add("0");
                        cmd.add(out.toString());
                        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                        String log = new String(proc.getInputStream().readAllBytes());
                        if (proc.waitFor() != 0) {
                            throw new IllegalStateException("initium_host failed: " + log);
                        }
                        byte[] bytes = Files.readAllBytes(out);
                        return arena.allocate(bytes.length).copyFrom(MemorySegment.ofArray(bytes));
                    } finally {
                        Files.deleteIfExists(out);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
