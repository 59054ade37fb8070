package dev.initium;

/**
 * The weight layout a caller uses, which decides the fans and the defaults of the schemes whose
 * frameworks disagree: with {@link #JAX}, glorot_normal and he_normal draw a truncated normal as
 * JAX and Keras do; with {@link #TORCH}, a plain normal as PyTorch's xavier_normal_ and
 * kaiming_normal_ do. A {@code distribution} parameter overrides either.
 */
public enum Layout implements Choice {
    /** PyTorch {@code (out, in, *kernel)}. */
    TORCH,
    /** JAX/Keras {@code (..., in, out)}. */
    JAX;

    @Override
    public String text() {
        return this == TORCH ? "torch" : "jax";
    }

    /** {@code torch} (also {@code pytorch}; the default for null) or {@code jax} (also {@code keras}, {@code flax}). */
    public static Layout parse(String s) {
        return switch (s == null ? "torch" : s.trim()) {
            case "torch", "pytorch" -> TORCH;
            case "jax", "keras", "flax" -> JAX;
            default -> throw new InvalidArgumentException("--layout '" + s + "' is unknown: valid layouts are torch, jax");
        };
    }
}
