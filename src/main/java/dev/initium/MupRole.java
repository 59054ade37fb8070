package dev.initium;

/**
 * The role of a weight under muP (G. Yang et al., "Tensor Programs V", 2022, table 3), which
 * decides how its std shrinks with the width multiplier m.
 */
public enum MupRole implements Choice {
    /** Input and vector-like weights: std. */
    INPUT("input"),
    /** Hidden (matrix-like) weights: std / sqrt(m). */
    HIDDEN("hidden"),
    /** Output weights: std / m. */
    OUTPUT("output");

    private final String text;

    MupRole(String text) {
        this.text = text;
    }

    @Override
    public String text() {
        return text;
    }

    /** {@code input}, {@code hidden} or {@code output}. */
    public static MupRole parse(String word) {
        return Choice.parse(MupRole.class, "role", word);
    }
}
