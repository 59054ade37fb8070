package dev.initium.checkpoint;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initium.engine.FillBackend;
import dev.initium.engine.TensorFiller;
import dev.initium.init.TensorFill;
import dev.initium.io.SafetensorsFile;
import dev.initium.model.ModelPlan;
import dev.initium.model.TensorPlan;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Recomputes a checkpoint and compares it with the files: every tensor in full, or
 * {@code sampleChunks} chunks of {@link #CHUNK_ELEMENTS} elements drawn at random (deterministically)
 * across the tensors, weighted by size. Reports every tensor that is missing, has the wrong dtype or
 * shape, differs, or is not in the plan.
 */
public final class Verifier {
    /** Elements per compared chunk. */
    static final long CHUNK_ELEMENTS = 1L << 20;

    /**
     * One problem found.
     *
     * @param file    the file
     * @param tensor  the tensor
     * @param problem what is wrong
     */
    public record Mismatch(String file, String tensor, String problem) {
        @Override
        public String toString() {
            return file + ": " + tensor + ": " + problem;
        }
    }

    private Verifier() {
    }

    /** The problems of the checkpoint in {@code dir} against {@code plan}; empty when it verifies. */
    public static List<Mismatch> verify(ModelPlan plan, Path dir, long seed, FillBackend backend, int sampleChunks) throws IOException {
        List<Mismatch> out = new ArrayList<>();
        Map<String, String> fileOf = locate(dir, out);
        if (fileOf == null) {
            // A broken index is a bad checkpoint, reported once (as a corrupt shard header is); the
            // tensors it would have located are not listed one by one as missing.
            return out;
        }
        Map<String, SafetensorsFile> headers = new HashMap<>();
        Set<String> planned = new HashSet<>();
        List<TensorPlan> present = new ArrayList<>();
        for (TensorPlan t : plan.tensors()) {
            planned.add(t.name());
            String file = fileOf.get(t.name());
            if (file == null) {
                out.add(new Mismatch("-", t.name(), "missing from the checkpoint"));
                continue;
            }
            SafetensorsFile h = header(dir, file, headers, out);
            if (h == null) {
                continue;
            }
            SafetensorsFile.Tensor st = h.tensor(t.name());
            if (st == null) {
                out.add(new Mismatch(file, t.name(), "missing from the file (the index names it)"));
            } else if (!st.dtype().equals(t.dtype().safetensorsName()) || !Arrays.equals(st.shape(), t.shape())) {
                out.add(new Mismatch(file, t.name(), "is " + st.dtype() + Arrays.toString(st.shape()) + ", expected "
                        + t.dtype().safetensorsName() + Arrays.toString(t.shape())));
            } else {
                present.add(t);
            }
        }
        for (Map.Entry<String, String> e : fileOf.entrySet()) {
            if (!planned.contains(e.getKey())) {
                out.add(new Mismatch(e.getValue(), e.getKey(), "is not in the model"));
            }
        }
        // One fill at a time, resolved once per tensor: structured fills (sparse thresholds, the
        // orthogonal factorisation) keep their work across the tensor's chunks, and are freed after it.
        try (Arena arena = Arena.ofShared()) {
            MemorySegment expected = arena.allocate(CHUNK_ELEMENTS * 4, 64);
            MemorySegment actual = arena.allocate(CHUNK_ELEMENTS * 4, 64);
            Map<TensorPlan, List<Long>> chunks = sampleChunks <= 0 ? allChunks(present) : sampledChunks(present, seed, sampleChunks);
            for (Map.Entry<TensorPlan, List<Long>> e : chunks.entrySet()) {
                TensorPlan t = e.getKey();
                TensorFill fill = t.initializer().resolve(t.shape(), t.dtype());
                for (long s : e.getValue()) {
                    if (!compare(dir, fileOf.get(t.name()), headers, fill, t, seed, backend, s, Math.min(t.numel(), s + CHUNK_ELEMENTS), expected, actual, out)) {
                        break;
                    }
                }
            }
        }
        unreferenced(dir, fileOf, out);
        return out;
    }

    /** Every chunk start of every tensor, in plan order. */
    private static Map<TensorPlan, List<Long>> allChunks(List<TensorPlan> present) {
        Map<TensorPlan, List<Long>> m = new LinkedHashMap<>();
        for (TensorPlan t : present) {
            List<Long> starts = new ArrayList<>();
            for (long s = 0; s < t.numel(); s += CHUNK_ELEMENTS) {
                starts.add(s);
            }
            m.put(t, starts);
        }
        return m;
    }

    /** {@code k} chunks drawn at random (fixed by the seed), weighted by size, grouped by tensor in plan order. */
    private static Map<TensorPlan, List<Long>> sampledChunks(List<TensorPlan> present, long seed, int k) {
        Map<TensorPlan, java.util.TreeSet<Long>> picked = new LinkedHashMap<>();
        long total = 0;
        for (TensorPlan t : present) {
            total += t.numel();
        }
        SplittableRandom r = new SplittableRandom(seed ^ 0x5A17CE5L);
        for (int i = 0; i < k && total > 0; i++) {
            long pick = r.nextLong(total);
            for (TensorPlan t : present) {
                if (pick < t.numel()) {
                    picked.computeIfAbsent(t, x -> new java.util.TreeSet<>()).add(Math.max(0, Math.min(pick, t.numel() - CHUNK_ELEMENTS)));
                    break;
                }
                pick -= t.numel();
            }
        }
        Map<TensorPlan, List<Long>> m = new LinkedHashMap<>();
        for (TensorPlan t : present) {
            if (picked.containsKey(t)) {
                m.put(t, new ArrayList<>(picked.get(t)));
            }
        }
        return m;
    }

    /**
     * Safetensors files in the directory that the checkpoint does not reference: a loader may read
     * them instead (transformers prefers model.safetensors to an index).
     */
    private static void unreferenced(Path dir, Map<String, String> fileOf, List<Mismatch> out) throws IOException {
        Set<String> referenced = new HashSet<>(fileOf.values());
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.safetensors")) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                if (!referenced.contains(f)) {
                    out.add(new Mismatch(f, "-", f.equals(ShardLayout.SINGLE)
                            ? "is beside the index: transformers loads it instead of the shards the index names"
                            : "is not part of this checkpoint (no index names it)"));
                }
            }
        }
    }

    /** Compares elements [s, e) of tensor t; records a mismatch and returns false when they differ. */
    private static boolean compare(Path dir, String file, Map<String, SafetensorsFile> headers, TensorFill fill, TensorPlan t, long seed, FillBackend backend,
                                   long s, long e, MemorySegment expected, MemorySegment actual, List<Mismatch> out) throws IOException {
        int b = t.dtype().bytes();
        long n = (e - s) * b;
        TensorFiller.fill(backend, fill, StreamKey.of(seed, t.name()), t.shape(), t.dtype(), new Region.Flat(s, e), expected);
        SafetensorsFile h = headers.get(file);
        long pos = h.dataStart() + h.tensor(t.name()).begin() + s * b;
        try (FileChannel ch = FileChannel.open(dir.resolve(file), StandardOpenOption.READ)) {
            java.nio.ByteBuffer buf = actual.asSlice(0, n).asByteBuffer();
            while (buf.hasRemaining()) {
                if (ch.read(buf, pos + buf.position()) < 0) {
                    out.add(new Mismatch(file, t.name(), "file ends early"));
                    return false;
                }
            }
        }
        long at = expected.asSlice(0, n).mismatch(actual.asSlice(0, n));
        if (at >= 0) {
            long element = s + at / b;
            long count = 0;
            for (long i = at / b; i < e - s; i++) {
                if (expected.asSlice(i * b, b).mismatch(actual.asSlice(i * b, b)) >= 0) {
                    count++;
                }
            }
            out.add(new Mismatch(file, t.name(), "differs from element " + element + " on (" + count + " of the " + (e - s)
                    + " elements of [" + s + ", " + e + ") differ)"));
            return false;
        }
        return true;
    }

    private static SafetensorsFile header(Path dir, String file, Map<String, SafetensorsFile> headers, List<Mismatch> out) {
        if (headers.containsKey(file)) {
            return headers.get(file);
        }
        SafetensorsFile h = null;
        try {
            h = SafetensorsFile.read(dir.resolve(file));
        } catch (IOException e) {
            out.add(new Mismatch(file, "-", "unreadable: " + e.getMessage()));
        }
        headers.put(file, h);
        return h;
    }

    /**
     * Tensor name to file: from the index when there is one, else model.safetensors's header. A
     * broken index (not JSON, no {@code weight_map} object, an entry that is not a plain file name
     * of this directory) is recorded in {@code out} as one mismatch and gives null.
     */
    private static Map<String, String> locate(Path dir, List<Mismatch> out) throws IOException {
        Map<String, String> fileOf = new HashMap<>();
        Path index = dir.resolve(ShardLayout.INDEX);
        if (Files.isRegularFile(index)) {
            String problem = readIndex(Files.readString(index), fileOf);
            if (problem != null) {
                out.add(new Mismatch(ShardLayout.INDEX, "-", "unreadable: " + problem));
                return null;
            }
            return fileOf;
        }
        Path single = dir.resolve(ShardLayout.SINGLE);
        if (Files.isRegularFile(single)) {
            for (SafetensorsFile.Tensor t : SafetensorsFile.read(single).tensors()) {
                fileOf.put(t.name(), ShardLayout.SINGLE);
            }
        }
        return fileOf;
    }

    /** Fills {@code fileOf} from the index's text; returns what is wrong with it (one line), or null. */
    private static String readIndex(String text, Map<String, String> fileOf) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            return "not valid JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + " (" + oneLine(e.getOriginalMessage()) + ")";
        }
        if (root == null || root.isMissingNode()) {
            return "not valid JSON (empty)";
        }
        JsonNode map = root.path("weight_map");
        if (!map.isObject()) {
            return "no \"weight_map\" object";
        }
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            JsonNode f = e.getValue();
            if (!f.isTextual() || f.asText().isEmpty() || f.asText().contains("/") || f.asText().contains("\\")
                    || f.asText().equals(".") || f.asText().equals("..")) {
                return "weight_map." + e.getKey() + " = " + oneLine(f.toString()) + " is not a file name of this directory";
            }
            fileOf.put(e.getKey(), f.asText());
        }
        return null;
    }

    private static String oneLine(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ").strip();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
