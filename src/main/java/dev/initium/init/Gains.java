package dev.initium.init;

import dev.initium.Nonlinearity;

/**
 * {@code calculate_gain}, with PyTorch's values ({@code torch.nn.init.calculate_gain}):
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
public final class Gains {
    private Gains() {
    }

    /** The recommended gain of {@code nonlinearity}; {@code param} is leaky_relu's negative slope (null: 0.01). */
    public static double calculate(Nonlinearity nonlinearity, Double param) {
        return switch (nonlinearity) {
            case LINEAR, CONV1D, CONV2D, CONV3D, CONV_TRANSPOSE1D, CONV_TRANSPOSE2D, CONV_TRANSPOSE3D, SIGMOID -> 1.0;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2.0);
            case LEAKY_RELU -> {
                double slope = param == null ? 0.01 : param;
                yield Math.sqrt(2.0 / (1 + slope * slope));
            }
            case SELU -> 3.0 / 4;
        };
    }
}
