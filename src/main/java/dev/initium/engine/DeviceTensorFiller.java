package dev.initium.engine;

import dev.initium.DType;
import dev.initium.InvalidArgumentException;
import dev.initium.dist.HalfFloats;
import dev.initium.dist.TransformParams;
import dev.initium.init.TensorFill;
import dev.initium.rng.StreamKey;
import dev.initium.tensor.Region;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Computes a region of a tensor into device memory, in the region's C order from byte
 * {@code byteOffset} of {@code dst} on. What runs where, and what it costs:
 * <ul>
 *   <li>elementwise (every distribution scheme, padded embeddings): the fill kernels, one launch per
 *       contiguous run of the region, on the device; no host round trip;
 *   <li>constants: a device memset of the dtype's 16- or 32-bit pattern;
 *   <li>index functions (eye, dirac): the index kernels, one launch per run;
 *   <li>structured fills (sparse, orthogonal, delta_orthogonal): computed on the host, chunk by chunk
 *       of {@link #STAGING_BYTES}, by {@code host}'s draws, and uploaded: the host cost of that
 *       scheme (sparse: the column keys; orthogonal: the QR of the whole matrix) plus one copy of the
 *       region's bytes over the bus. The upload waits for each chunk, so the caller's queue is
 *       synchronised for these schemes.
 * </ul>
 */
public final class DeviceTensorFiller {
    /** Host staging buffer of structured fills on their way to a device. */
    public static final long STAGING_BYTES = 64L << 20;

    private DeviceTensorFiller() {
    }

    /**
     * Writes {@code region} of tensor (key, shape, dtype) as initialised by {@code fill} to
     * {@code dst} from {@code byteOffset} on, queued on {@code queue}; {@code host} computes what
     * only the host can.
     */
    public static void fill(DeviceBackend device, FillBackend host, TensorFill fill, StreamKey key, long[] shape, DType dtype,
                            Region region, DeviceMemory dst, long byteOffset, DeviceQueue queue) {
        region.check(shape);
        int bytes = dtype.bytes();
        long need = Math.multiplyExact(region.size(), bytes);
        if (byteOffset < 0 || byteOffset % bytes != 0 || byteOffset > dst.bytes() || need > dst.bytes() - byteOffset) {
            throw new InvalidArgumentException("device memory of " + dst.bytes() + " bytes cannot take " + need + " bytes at byte offset "
                    + byteOffset + " (the offset must be a multiple of " + bytes + ")");
        }
        switch (fill) {
            case TensorFill.Elementwise e -> {
                TransformParams p = e.distribution().resolve(dtype);
                for (FillBackend.Run r : TensorFiller.runs(region, shape)) {
                    device.fillElementwise(dst, byteOffset + r.offset() * bytes, key, p, r.flatStart(), r.flatStart() + r.length(),
                            e.zeroStart(), e.zeroEnd(), queue);
                }
            }
            case TensorFill.Constant c -> device.fillPattern(dst, byteOffset, dtype, HalfFloats.bits((float) c.value(), dtype), region.size(), queue);
            case TensorFill.Indexed i -> {
                for (FillBackend.Run r : TensorFiller.runs(region, shape)) {
                    device.fillIndexed(dst, byteOffset + r.offset() * bytes, i.function(), shape, dtype, r.flatStart(),
                            r.flatStart() + r.length(), queue);
                }
            }
            case TensorFill.Structured s -> upload(device, host, s, key, shape, dtype, region, dst, byteOffset, queue);
        }
    }

    private static void upload(DeviceBackend device, FillBackend host, TensorFill.Structured s, StreamKey key, long[] shape, DType dtype,
                               Region region, DeviceMemory dst, long byteOffset, DeviceQueue queue) {
        int bytes = dtype.bytes();
        List<Region> pieces = region.pieces(STAGING_BYTES / bytes);
        long largest = pieces.stream().mapToLong(Region::size).max().orElse(0);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment staging = arena.allocate(largest * bytes, 64);
            long at = byteOffset;
            for (Region piece : pieces) {
                long n = piece.size() * bytes;
                MemorySegment chunk = staging.asSlice(0, n);
                TensorFiller.fill(host, s, key, shape, dtype, piece, chunk);
                device.upload(chunk, dst, at, queue);
                at += n;
            }
        }
    }
}
