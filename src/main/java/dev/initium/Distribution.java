package dev.initium;

/**
 * The distribution a variance-scaling initializer draws from, as {@code distribution} of JAX's
 * {@code variance_scaling}: with variance v = scale / n,
 * {@link #UNIFORM} U(-sqrt(3 v), sqrt(3 v)); {@link #NORMAL} N(0, v);
 * {@link #TRUNCATED_NORMAL} N(0, s) cut at +-2s with s = sqrt(v) / 0.87962566103423978, so that the
 * result has variance v (JAX, Keras).
 */
public enum Distribution implements Choice {
    TRUNCATED_NORMAL("truncated_normal"),
    NORMAL("normal"),
    UNIFORM("uniform");

    private final String text;

    Distribution(String text) {
        this.text = text;
    }

    @Override
    public String text() {
        return text;
    }

    /** {@code truncated_normal}, {@code normal} or {@code uniform}. */
    public static Distribution parse(String word) {
        return Choice.parse(Distribution.class, "distribution", word);
    }
}
