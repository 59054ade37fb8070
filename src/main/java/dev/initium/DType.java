package dev.initium;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Output element types. Every fill computes float32 values; the 16-bit types are rounded from that
 * value to nearest, ties to even ({@code dev.initium.dist.HalfFloats}).
 *
 * <p>float64 is not offered yet: its values would be float32 values widened, which no user wants
 * from a float64 fill, and a true float64 path needs its own transforms.
 */
public enum DType {
    /** IEEE-754 binary32. */
    F32(4, "f32", "<f4", "F32"),
    /** bfloat16: the high 16 bits of a binary32, rounded to nearest even. Written to .npy as {@code <u2} raw bits. */
    BF16(2, "bf16", "<u2", "BF16"),
    /** IEEE-754 binary16. */
    F16(2, "f16", "<f2", "F16");

    private final int bytes;
    private final String cliName;
    private final String npyDescr;
    private final String safetensorsName;

    DType(int bytes, String cliName, String npyDescr, String safetensorsName) {
        this.bytes = bytes;
        this.cliName = cliName;
        this.npyDescr = npyDescr;
        this.safetensorsName = safetensorsName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The name used on the command line and in specs: {@code f32}, {@code bf16}, {@code f16}. */
    public String cliName() {
        return cliName;
    }

    /** The numpy {@code descr} of a .npy file holding this type (bf16 as raw {@code <u2} bits). */
    public String npyDescr() {
        return npyDescr;
    }

    /** The dtype name in a safetensors header. */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** The largest finite value of this type. */
    public double maxFinite() {
        return switch (this) {
            case F32 -> Float.MAX_VALUE;
            case BF16 -> Float.intBitsToFloat(0x7F7F0000);
            case F16 -> 65504.0;
        };
    }

    /** Accepts {@code f32|float32|bf16|bfloat16|f16|float16} in any case. */
    public static DType parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "f32", "float32", "float" -> F32;
            case "bf16", "bfloat16" -> BF16;
            case "f16", "float16", "half" -> F16;
            default -> throw new InvalidArgumentException("dtype '" + name + "' is unknown: valid dtypes are "
                    + Arrays.stream(values()).map(DType::cliName).collect(Collectors.joining(", ")));
        };
    }
}
