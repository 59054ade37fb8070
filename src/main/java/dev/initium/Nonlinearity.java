package dev.initium;

/**
 * The nonlinearity whose recommended gain ({@code torch.nn.init.calculate_gain}) a Kaiming
 * initializer uses:
 * <pre>
 * nonlinearity                          gain
 * linear, conv{1,2,3}d,
 * conv_transpose{1,2,3}d, sigmoid       1
 * tanh                                  5/3
 * relu                                  sqrt(2)
 * leaky_relu(negative_slope = 0.01)     sqrt(2 / (1 + negative_slope^2))
 * selu                                  3/4
 * </pre>
 */
public enum Nonlinearity implements Choice {
    LEAKY_RELU("leaky_relu"),
    RELU("relu"),
    LINEAR("linear"),
    CONV1D("conv1d"),
    CONV2D("conv2d"),
    CONV3D("conv3d"),
    CONV_TRANSPOSE1D("conv_transpose1d"),
    CONV_TRANSPOSE2D("conv_transpose2d"),
    CONV_TRANSPOSE3D("conv_transpose3d"),
    SIGMOID("sigmoid"),
    TANH("tanh"),
    SELU("selu");

    private final String text;

    Nonlinearity(String text) {
        this.text = text;
    }

    @Override
    public String text() {
        return text;
    }

    /** PyTorch's name of the nonlinearity, e.g. {@code relu}. */
    public static Nonlinearity parse(String word) {
        return Choice.parse(Nonlinearity.class, "nonlinearity", word);
    }
}
